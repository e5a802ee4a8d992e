// A layer job reads its blob into reused buffers (ByteSource.stream's reuseChunks, indexLayer's
// reusedInput): every digest, file hash and captured file must be what fresh chunks give, for
// every codec and chunk size, or the page would show wrong verification, wrong duplicates and
// wrong packages. The expected digests are written out: sha256sum and `xxhsum -H1` of the files
// `tar -xf` extracts from this fixture; compressed blobs' digests come from node:crypto.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestBlob, indexLayer, type IndexLayerOptions, type LayerResult } from './index-layer';
import { entryPath } from '../index/layer-index';
import { BlobByteSource } from '../source/blob-source';
import { overwritingStream } from '../../../test/streams';
import { chromiumLikeGunzip } from '../../../test/chromium-like-gunzip';
import { gzip, noise, writeTar, zstd } from '../../testing';

const STATUS = 'Package: libc6\nStatus: install ok installed\nInstalled-Size: 12345\nVersion: 2.36-9\n\n';
// 6.8 MB: a 3.5 MB and a 1.2 MB file (each spans several 1 MiB buffers), 200 small ones between.
const tar = await writeTar([
  { path: 'opt', type: 'dir' as const },
  { path: 'opt/weights.bin', content: noise(3_500_000, 11) },
  ...Array.from({ length: 200 }, (_, i) => ({ path: `opt/f${String(i).padStart(3, '0')}.py`, content: noise(1 + i * 97, i + 100) })),
  { path: 'var/lib/dpkg/status', content: STATUS },
  { path: 'opt/tail.so', content: noise(1_200_000, 12) },
]);
const TAR_SHA256 = 'sha256:cb2877f98a147e9b17afbf0cd4897fea011e32d85fa63fb95dbd26762ea964c4';
const XXH64: Record<string, string> = {
  'opt/weights.bin': 'd507a6e604ca85e6',
  'opt/tail.so': '78812de15a10982c',
  'opt/f199.py': 'b920b6edafd69f0f',
  'var/lib/dpkg/status': '566d871e746a768a',
};
const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function xxh64Of(r: LayerResult, path: string): string {
  for (let i = 0; i < r.entries.count; i++) {
    if (entryPath(r.entries, i) !== path) continue;
    const h = r.entries.hash;
    return h[2 * i]!.toString(16).padStart(8, '0') + h[2 * i + 1]!.toString(16).padStart(8, '0');
  }
  return `${path} not indexed`;
}

function expectWhole(r: LayerResult, blob: Uint8Array): void {
  expect(r.warnings).toEqual([]);
  expect(r.complete).toBe(true);
  expect(r.diffId).toBe(TAR_SHA256);
  expect(r.blobDigest).toBe(sha256(blob));
  expect(r.uncompressedSize).toBe(tar.length);
  expect(r.files).toBe(203);
  for (const [path, hash] of Object.entries(XXH64)) expect(xxh64Of(r, path)).toBe(hash);
  expect(r.captures.map((c) => [c.path, new TextDecoder().decode(c.bytes)])).toEqual([['var/lib/dpkg/status', STATUS]]);
}

const ENCODINGS: [string, Uint8Array, IndexLayerOptions['gzip']?][] = [
  ['uncompressed', tar],
  ['zstd', zstd(tar)],
  ['gzip, native decoder', gzip(tar), 'native'],
  ['gzip, pako', gzip(tar), 'pako'],
  ['gzip, Chromium-like decoder', gzip(tar), chromiumLikeGunzip],
];

describe.each(ENCODINGS)('indexLayer over one buffer overwritten at each read (%s)', (_name, blob, gz) => {
  it.each([7 * 1024 + 3, 65_536, 1 << 20])('keeps no chunk: digests, file hashes and the dpkg database are right, %s-byte chunks', async (size) => {
    const r = await indexLayer(overwritingStream(blob, size), { reusedInput: true, ...(gz ? { gzip: gz } : {}) });
    expectWhole(r, blob);
  });
});

describe('a Blob read into reused buffers by a layer job (BlobByteSource reuseChunks)', () => {
  const blob = new Blob([tar as BlobPart]);
  const source = new BlobByteSource(blob);
  const reused = (s: BlobByteSource, signal?: AbortSignal) => s.stream(0, s.size, signal, { reuseChunks: true });

  it('indexes and digests it as fresh chunks do, with the index job and the digest job at once', async () => {
    const [indexed, digest] = await Promise.all([indexLayer(reused(source), { reusedInput: true }), digestBlob(reused(source))]);
    expectWhole(indexed, tar);
    expect(digest).toBe(TAR_SHA256);
  });

  it('hands out the bytes in order to a consumer that copies each chunk before its next read, for slices too', async () => {
    const copyAll = async (s: ReadableStream<Uint8Array>) => {
      const parts: Uint8Array[] = [];
      for (const reader = s.getReader(); ;) {
        const { value, done } = await reader.read();
        if (done) break;
        parts.push(value.slice());
      }
      return sha256(new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer()));
    };
    // Three consumers at once: the whole blob, and two slices that cut through the 3.5 MB file.
    const got = await Promise.all([copyAll(reused(source)), copyAll(reused(source.slice(1000, 4_000_000))), copyAll(reused(source.slice(3_000_001, tar.length)))]);
    expect(got).toEqual([TAR_SHA256, sha256(tar.subarray(1000, 4_000_000)), sha256(tar.subarray(3_000_001))]);
  });

  it('a chunk kept past two reads is empty (its buffer was refilled elsewhere), never other bytes', async () => {
    const reader = reused(source).getReader();
    const first = (await reader.read()).value!;
    expect(first.length).toBeGreaterThan(0);
    expect(Array.from(first.subarray(0, 3))).toEqual(Array.from(tar.subarray(0, 3)));
    await reader.read();
    await reader.read();
    expect(first.length).toBe(0);
    await reader.cancel();
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    await expect(digestBlob(reused(source, controller.signal))).rejects.toThrow('cancelled by the user');
  });
});
