// One layer blob indexed as the first pass indexes it, then files read back out of it: each
// encoding, with the restart points the pass recorded (gzip members, zstd frames), and damage in
// the stretch read is an error, never wrong bytes.
import { describe, expect, it } from 'vitest';
import { indexLayer, type LayerResult } from '../pipeline/index-layer';
import { BlobByteSource } from '../source/blob-source';
import { entryPath } from '../index/layer-index';
import { concatBytes, gzip, noise, TAR_END, writeTarEntries, zstd } from '../../testing';
import { chromiumLikeGunzip } from '../../../test/chromium-like-gunzip';
import { readBody, type LayerBytes } from './read-body';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

const FILES = [
  { path: 'etc/os-release', content: 'ID=strata\n' },
  { path: 'opt/a.bin', content: noise(2 << 20, 1) },
  { path: 'opt/middle.txt', content: 'in the middle\n' },
  { path: 'opt/b.bin', content: noise(2 << 20, 2) },
  { path: 'opt/c.bin', content: noise(2 << 20, 3) },
  { path: 'zz/last.txt', content: 'at the very end\n' },
];

/** Each entry's tar bytes, compressed as one stream or as one member/frame per entry. */
async function blobs(): Promise<Record<string, Uint8Array>> {
  const entries = await writeTarEntries(FILES);
  const tar = concatBytes([...entries, TAR_END]);
  const pieces = [...entries.slice(0, -1), concatBytes([entries.at(-1)!, TAR_END])];
  return {
    'gzip, one member': gzip(tar),
    'gzip, a member per entry': concatBytes(pieces.map(gzip)),
    'zstd, one frame': zstd(tar),
    'zstd, a frame per entry': concatBytes(pieces.map(zstd)),
    uncompressed: tar,
  };
}

const stream = (b: Uint8Array) => new Blob([b as BlobPart]).stream() as ReadableStream<Uint8Array>;

/** The first pass as Chromium runs it (its DecompressionStream stops after one member), or with pako. */
type FirstPass = 'chromium' | 'pako';

async function open(blob: Uint8Array, gzipDecoder: FirstPass = 'chromium'): Promise<{ result: LayerResult; layer: LayerBytes; at: (path: string) => number }> {
  const result = await indexLayer(stream(blob), { gzip: gzipDecoder === 'pako' ? 'pako' : chromiumLikeGunzip });
  const layer: LayerBytes = { source: new BlobByteSource(new Blob([blob as BlobPart])), compression: result.compression, ...(result.restarts ? { restarts: result.restarts } : {}) };
  const at = (path: string) => {
    const x = result.entries;
    for (let i = 0; i < x.count; i++) if (entryPath(x, i) === path) return x.offset[i]!;
    throw new Error(`no ${path}`);
  };
  return { result, layer, at };
}

describe('reading an entry back out of its layer', async () => {
  const all = await blobs();
  for (const [name, blob] of Object.entries(all)) {
    for (const decoder of name.startsWith('gzip') ? (['chromium', 'pako'] as const) : (['chromium'] as const)) {
      it(`${name}${name.startsWith('gzip') ? ` (${decoder} first pass)` : ''}: start, middle and end`, async () => {
        const { layer, at } = await open(blob, decoder);
        const first = await readBody(layer, at('etc/os-release'), 0, 100);
        expect(decode(first.bytes)).toBe('ID=strata\n');
        expect(decode((await readBody(layer, at('opt/middle.txt'), 0, 100)).bytes)).toBe('in the middle\n');
        const last = await readBody(layer, at('zz/last.txt'), 0, 100);
        expect(decode(last.bytes)).toBe('at the very end\n');
        const window = await readBody(layer, at('opt/c.bin'), 1_500_000, 1_500_008);
        expect(Array.from(window.bytes)).toEqual(Array.from(noise(2 << 20, 3).subarray(1_500_000, 1_500_008)));
      });
    }
  }

  it('an uncompressed layer is one range read at the entry', async () => {
    const { layer, at } = await open(all.uncompressed!);
    const r = await readBody(layer, at('zz/last.txt'), 0, 100);
    expect(r.how).toBe('range');
    expect(r.skippedBytes).toBe(0);
  });

  it('a single gzip stream and a single zstd frame are decoded from their start', async () => {
    for (const name of ['gzip, one member', 'zstd, one frame']) {
      const { layer, at } = await open(all[name]!);
      const r = await readBody(layer, at('zz/last.txt'), 0, 100);
      expect(r.how).toBe('rescan');
      expect(r.skippedBytes).toBe(at('zz/last.txt'));
    }
  });

  it('a member or frame per entry restarts at the one holding the file (Chromium-like and pako first pass)', async () => {
    for (const [name, how, decoder] of [['gzip, a member per entry', 'gzip-member', 'chromium'], ['gzip, a member per entry', 'gzip-member', 'pako'], ['zstd, a frame per entry', 'zstd-frame', 'chromium']] as const) {
      const { layer, at } = await open(all[name]!, decoder);
      const r = await readBody(layer, at('zz/last.txt'), 0, 100);
      expect(r.how, name).toBe(how);
      // The restart point is the start of the last entry's member: nothing before it is decoded.
      expect(r.skippedBytes, name).toBe(0);
      expect(decode(r.bytes)).toBe('at the very end\n');
    }
  });
});
