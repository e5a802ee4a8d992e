// Sparse files as GNU tar writes them (`--sparse`, old GNU and PAX 0.0 / 0.1 / 1.0), in a layer of
// an image our fixture writer builds, read as the details pane and `--cat` read them: the bytes
// must be the ones GNU tar extracts (`tar -xf`, the real tool, which extracts the holes as holes), holes as zeros, for any window.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArchive, type ArchiveResult } from '../pipeline/read-archive';
import { analyseImage } from '../analysis/analyse-image';
import { FINAL } from '../merge';
import { flipByte, writeOciLayout, type LayerCompression } from '../../testing';
import { layerBytesOf } from './archive-layers';
import { readFileContent } from './read-file';
import { gnuExtracted, gnuSparseTar, GNU_SPARSE_FORMATS, SPARSE_FILES, sparsePattern, writeSparseFiles } from '../../testing/gnu-sparse';

const MiB = 1 << 20;
const SPARSE = SPARSE_FILES;
const FORMATS = GNU_SPARSE_FORMATS;
const pattern = sparsePattern;
/** sha256 of holes.bin as GNU tar extracts it (`tar -xOf layer.tar sparse/holes.bin | sha256sum`, any of the four formats). */
const HOLES_SHA256 = 'sha256:10a0a2f69d6a07de076e6b6621edd5bfc477ace3b8875e56501f7a236279b677';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-sparse-'));
  writeSparseFiles(join(dir, 'src'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const gnuTar = (format: readonly string[]) => gnuSparseTar(join(dir, 'src'), format);
const extracted = (tar: Uint8Array, path: string) => gnuExtracted(dir, tar, path);

async function load(tar: Uint8Array, compression: LayerCompression): Promise<{ archive: ArchiveResult; bytes: Uint8Array; read: (path: string, offset: number, length: number) => ReturnType<typeof readFileContent> }> {
  const bytes = await writeOciLayout([{ tags: ['t:1'], layers: [{ createdBy: 'COPY sparse /', compression, files: [], tar }] }]);
  const archive = await readArchive(new Blob([bytes as BlobPart]));
  const image = archive.images[0]!;
  const merged = analyseImage(image, archive.results).merged;
  return { archive, bytes, read: (path, offset, length) => readFileContent(merged, FINAL, path, offset, length, { layerBytes: layerBytesOf(archive, image) }) };
}

const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe.each(FORMATS)('a sparse file GNU tar wrote (%s)', (_name, format) => {
  it.each(['none', 'gzip'] as const)('reads as GNU tar extracts it, any window, from a %s layer', async (compression) => {
    const tar = gnuTar(format);
    const { read } = await load(tar, compression);
    for (const [path, size] of SPARSE) {
      const want = await extracted(tar, path);
      expect(want.length, path).toBe(size);
      const windows: [number, number][] = size <= 16 * MiB
        ? [[0, size], [500_000, 100], [MiB + 100, 200], [MiB + 5000, 1000], [size - 50, 50]]
        : [[0, 8192], [10 * MiB, 4096], [18 * MiB - 1500, 71_000], [18 * MiB + 68_000, MiB], [size - 10, 10]];
      for (const [offset, length] of windows.filter(([o]) => o < size)) {
        const got = await read(path, offset, length);
        expect(got.size, path).toBe(size);
        expect(got.offset).toBe(offset);
        expect(same(got.bytes, want.subarray(offset, offset + length)), `${path} [${offset}, +${length})`).toBe(true);
        // All its stored data is read (little of it): the first pass's content hash vouches for it
        // (a file of holes only stores nothing, so nothing is hashed).
        expect(got.check, path).toBe(path === 'sparse/all-hole.bin' ? (compression === 'gzip' ? 'member-crc' : 'none') : 'whole-file');
      }
    }
    const whole = await read('sparse/holes.bin', 0, 4 * MiB);
    expect(whole.sha256).toBe(sha(await extracted(tar, 'sparse/holes.bin')));
    expect(whole.type).toBe('binary');
    expect((await read('sparse/data-first.bin', 0, 10)).type).toBe('elf');
  });
});

describe('sparse files', () => {
  it('holes.bin has the sha256 GNU tar extracts, written out', async () => {
    const tar = gnuTar(FORMATS[3][1]);
    expect(sha(await extracted(tar, 'sparse/holes.bin'))).toBe(HOLES_SHA256);
    const { read } = await load(tar, 'zstd');
    expect((await read('sparse/holes.bin', 0, 4 * MiB)).sha256).toBe(HOLES_SHA256);
  });

  it('a flipped byte in the stored data of a sparse file is an error, not other bytes', async () => {
    const tar = gnuTar(FORMATS[0][1]);
    const at = Buffer.from(tar).indexOf(Buffer.from(pattern(5000, 1).subarray(0, 64)));
    expect(at).toBeGreaterThan(0);
    const { archive } = await load(tar, 'none');
    const damaged = await load(flipByte(tar, at + 10), 'none');
    const image = archive.images[0]!;
    const merged = analyseImage(image, archive.results).merged;
    // The index of the good layer, the bytes of the damaged one: as a layer changed since it was read.
    const read = readFileContent(merged, FINAL, 'sparse/holes.bin', 0, 100, { layerBytes: layerBytesOf(damaged.archive, damaged.archive.images[0]!) });
    await expect(read).rejects.toThrow('/sparse/holes.bin: the bytes read from layer 0 do not match the content hash recorded when the layer was indexed');
  });

});

