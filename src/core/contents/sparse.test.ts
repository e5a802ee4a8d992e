// Sparse files as GNU tar writes them (`--sparse`, old GNU and PAX 0.0 / 0.1 / 1.0), in a layer of
// an image our fixture writer builds, read as the details pane and `--cat` read them: the bytes
// must be the ones GNU tar extracts (`tar -xf`, the real tool, which extracts the holes as holes), holes as zeros, for any window.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArchive, type ArchiveResult } from '../pipeline/read-archive';
import { analyseImage } from '../analysis/analyse-image';
import { FINAL } from '../merge';
import { flipByte, writeOciLayout, type LayerCompression } from '../../testing';
import { layerBytesOf } from './archive-layers';
import { readFileContent } from './read-file';
import { havePeerTar, peerTarFixture, PEER_TAR_DIR, SKIP_PEER_TAR } from '../../../test/shared-fixtures';
import { gnuExtracted, gnuExtractedDir, gnuSparseTar, GNU_SPARSE_FORMATS, SPARSE_FILES, sparsePattern, writeSparseFiles } from '../../testing/gnu-sparse';

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


/** `tar` with the old GNU header of `name` changed by `edit` (its checksum recomputed). */
function editGnuHeader(tar: Uint8Array, name: string, edit: (h: Uint8Array) => void): Uint8Array {
  const out = tar.slice();
  for (let at = 0; at + 512 <= out.length; at += 512) {
    const h = out.subarray(at, at + 512);
    if (new TextDecoder().decode(h.subarray(0, name.length)) !== name || h[156] !== 0x53) continue;
    edit(h);
    h.fill(0x20, 148, 156);
    const sum = h.reduce((a, b) => a + b, 0);
    h.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    return out;
  }
  throw new Error(`no old GNU sparse header for ${name}`);
}

const octal12 = (n: number) => new TextEncoder().encode(`${n.toString(8).padStart(11, '0')}\0`);

describe('a sparse map that does not add up', () => {
  it('is a clear error naming the file and the segment, never other bytes', async () => {
    const tar = gnuTar(FORMATS[0][1]);
    // holes.bin's map: [1 MiB, 8 KiB), [3 MiB, 100), [3 MiB + 100, 0). Its second segment moved
    // before the end of the first; then the first past the real size.
    const disorder = editGnuHeader(tar, 'sparse/holes.bin', (h) => h.set(octal12(MiB), 386 + 24));
    const past = editGnuHeader(tar, 'sparse/holes.bin', (h) => h.set(octal12(4 * MiB), 386));
    for (const [bad, message] of [
      [disorder, /sparse file "sparse\/holes.bin" \(entry at byte \d+ of the layer\): segment 2 of its map \(offset 1048576, \d+ bytes\) starts before the end of the one before it/],
      [past, /sparse file "sparse\/holes.bin" \(entry at byte \d+ of the layer\): segment 1 of its map \(offset 4194304, \d+ bytes\) ends past the file's real size of 3145828 bytes/],
    ] as const) {
      const { read } = await load(bad, 'none');
      await expect(read('sparse/holes.bin', 0, 100)).rejects.toThrow(message);
    }
  });
});

/** GNU tar's `-xOf` of one member of a peer fixture. */
function gnuStdout(fixture: string, path: string): Uint8Array {
  return new Uint8Array(execFileSync('tar', ['-xOf', join(PEER_TAR_DIR, fixture), path], { maxBuffer: 64 * MiB }));
}

/** Data regions of a file on disk ([start, end) pairs), by SEEK_DATA / SEEK_HOLE (lseek(2)). */
function dataRegions(path: string): [number, number][] {
  const py = 'import os,sys\nfd=os.open(sys.argv[1],os.O_RDONLY)\nn=os.fstat(fd).st_size\np=0\nwhile p<n:\n  try: d=os.lseek(fd,p,os.SEEK_DATA)\n  except OSError: break\n  h=os.lseek(fd,d,os.SEEK_HOLE)\n  print(d,h)\n  p=h';
  return execFileSync('python3', ['-c', py, path], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map((l) => l.split(' ').map(Number) as [number, number]);
}

/**
 * The sparse files of Go's archive/tar and libarchive's test data that GNU tar 1.34 extracts
 * whole: [fixture, path, real size]. Left out: Go's sparse-formats.tar and libarchive's
 * sparse_skip_entry.tar, which GNU tar lists but stops extracting ("Unexpected EOF in archive"),
 * so it is no oracle for them.
 */
const PEER_SPARSE: [string, string, number][] = [
  ['go-archive-tar/gnu-nil-sparse-data.tar', 'sparse.db', 1000],
  ['go-archive-tar/gnu-nil-sparse-hole.tar', 'sparse.db', 1000],
  ['go-archive-tar/pax-nil-sparse-data.tar', 'sparse.db', 1000],
  ['go-archive-tar/pax-nil-sparse-hole.tar', 'sparse.db', 1000],
  ['go-archive-tar/gnu-sparse-big.tar', 'gnu-sparse', 60_000_000_000],
  ['go-archive-tar/pax-sparse-big.tar', 'pax-sparse', 60_000_000_000],
  ...['1_13', '1_17', '1_17_posix00', '1_17_posix01', '1_17_posix10'].flatMap((v): [string, string, number][] => [
    [`libarchive/test_read_format_gtar_sparse_${v}.tar`, 'sparse', 3_145_728],
    [`libarchive/test_read_format_gtar_sparse_${v}.tar`, 'sparse2', 99_000_001],
  ]),
];

describe.skipIf(!havePeerTar)(`sparse files of Go's and libarchive's test data${SKIP_PEER_TAR}`, () => {
  it('read as GNU tar extracts them, at the edges of every data region', async () => {
    const tars = new Map<string, Uint8Array>();
    for (const [fixture, path, size] of PEER_SPARSE) {
      let tar = tars.get(fixture);
      if (!tar) { tar = new Uint8Array(await (await peerTarFixture(fixture)).arrayBuffer()); tars.set(fixture, tar); }
      const archive = await readArchive(new Blob([tar as BlobPart]), { name: fixture });
      const image = archive.images[0]!;
      const merged = analyseImage(image, archive.results).merged;
      const read = (offset: number, length: number) => readFileContent(merged, FINAL, path, offset, length, { layerBytes: layerBytesOf(archive, image) });
      const what = `${fixture} ${path}`;
      if (size <= 16 * MiB) {
        const got = await read(0, size);
        expect(got.size, what).toBe(size);
        expect(same(got.bytes, await gnuStdout(fixture, path)), what).toBe(true);
        continue;
      }
      const onDisk = join(gnuExtractedDir(dir, tar), path);
      const regions = dataRegions(onDisk);
      expect(regions.length, what).toBeGreaterThan(0);
      const fd = openSync(onDisk, 'r');
      try {
        const windows = [...regions.slice(0, 3), ...regions.slice(-2)].flatMap(([s, e]) => [[Math.max(0, s - 100), 300], [Math.max(0, e - 200), 300]]).concat([[size - 10, 10]]);
        for (const [offset, length] of windows as [number, number][]) {
          const got = await read(offset, length);
          const want = Buffer.alloc(Math.min(length, size - offset));
          readSync(fd, want, 0, want.length, offset);
          expect(got.size, what).toBe(size);
          expect(same(got.bytes, want), `${what} [${offset}, +${length})`).toBe(true);
        }
      } finally { closeSync(fd); }
    }
  }, 120_000);

  it('a map GNU tar refuses (libarchive posix10_modified) gives no bytes: the entry is not listed, with a warning', async () => {
    const fixture = 'libarchive/test_read_format_gtar_sparse_1_17_posix10_modified.tar';
    const archive = await readArchive(await peerTarFixture(fixture), { name: fixture });
    const image = archive.images[0]!;
    const merged = analyseImage(image, archive.results).merged;
    expect(archive.summary.warnings.map((w) => w.code)).toContain('tar-bad-sparse-map');
    await expect(readFileContent(merged, FINAL, 'sparse', 0, 100, { layerBytes: layerBytesOf(archive, image) })).rejects.toThrow('/sparse: no such file in this image');
  });
});
