// Reading known contents out of every layer encoding, at the start, middle and end of a layer,
// from archives our fixture writer builds: what the details pane shows and `--cat` prints.
import { describe, expect, it } from 'vitest';
import { readArchive, type ArchiveResult } from '../pipeline/read-archive';
import { analyseImage } from '../analysis/analyse-image';
import { FINAL, type View } from '../merge';
import { writeOciLayout, type LayerCompression } from '../../testing';
import { layerBytesOf } from './archive-layers';
import { readFileContent } from './read-file';
import type { FileContent } from './types';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** Deterministic filler that does not compress to nothing: a layer of a few MiB. */
function filler(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = 0x61 + (x % 26); }
  return out;
}

const OS_RELEASE = 'PRETTY_NAME="Strata Test 1"\nID=strata\n';
const MIDDLE = 'middle of the layer\n';
const LAST = 'the last file of the layer\n';

function layerFiles() {
  return [
    { path: 'etc/os-release', content: OS_RELEASE },
    { path: 'opt/big-1.bin', content: filler(3 << 20, 1) },
    { path: 'opt/middle.txt', content: MIDDLE },
    { path: 'opt/big-2.bin', content: filler(3 << 20, 2) },
    { path: 'zz/last.txt', content: LAST },
  ];
}

async function load(compression: LayerCompression): Promise<{ archive: ArchiveResult; read: (path: string, offset?: number, length?: number, view?: View) => Promise<FileContent> }> {
  const bytes = await writeOciLayout([{ tags: ['t:1'], layers: [{ createdBy: 'COPY . /', compression, files: layerFiles() }] }]);
  const archive = await readArchive(new Blob([bytes as BlobPart]));
  const image = archive.images[0]!;
  const merged = analyseImage(image, archive.results).merged;
  return {
    archive,
    read: (path, offset = 0, length = 1 << 30, view = FINAL) => readFileContent(merged, view, path, offset, length, { layerBytes: layerBytesOf(archive, image) }),
  };
}

describe.each(['none', 'gzip', 'zstd', 'estargz'] as const)('a %s layer', (compression) => {
  it('reads a file at the start, the middle and the end of the layer', async () => {
    const { read } = await load(compression);
    const first = await read('etc/os-release');
    expect(decode(first.bytes)).toBe(OS_RELEASE);
    expect(first.size).toBe(38);
    expect(first.type).toBe('text');
    expect(first.check).toBe('whole-file');
    expect(decode((await read('opt/middle.txt')).bytes)).toBe(MIDDLE);
    const last = await read('zz/last.txt');
    expect(decode(last.bytes)).toBe(LAST);
    expect(last.from).toEqual({ layer: 0, path: 'zz/last.txt' });
  });

  it('reads a window of a large file', async () => {
    const { read } = await load(compression);
    const w = await read('opt/big-2.bin', 1_000_000, 16);
    expect(w.offset).toBe(1_000_000);
    expect(Array.from(w.bytes)).toEqual(Array.from(filler(3 << 20, 2).subarray(1_000_000, 1_000_016)));
    expect(w.size).toBe(3 << 20);
  });
});

