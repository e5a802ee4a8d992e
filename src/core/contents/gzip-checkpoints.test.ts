// Single-stream gzip layers made by GNU tar and GNU gzip (a few tens of MB, known files at the
// start, middle and end): the first read decodes from the start and records deflate checkpoints,
// later reads restart at one (zlib's zran) and decode about one spacing, not the layer; the bytes
// are those `tar -xOf` gives; damage in the stretch read is an error, and a read can be cancelled.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexLayer, type LayerResult } from '../pipeline/index-layer';
import type { ByteSource } from '../source/types';
import { chunkedStream } from '../../../test/streams';
import { entryPath } from '../index/layer-index';
import { FINAL, mergeLayers, type MergedImage } from '../merge';
import { ContentError } from './errors';
import { GzipCheckpoints } from './gzip-checkpoints';
import { readBody, type LayerBytes } from './read-body';
import { readFileContent } from './read-file';
import type { ContentProgress } from './types';

const HAS_TOOLS = spawnSync('tar', ['--version']).stdout?.toString().includes('GNU tar') && spawnSync('gzip', ['--version']).status === 0;
if (!HAS_TOOLS) console.warn('SKIP gzip checkpoints: GNU tar and gzip are needed on PATH');

const dir = mkdtempSync(join(tmpdir(), 'strata-checkpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Words in lines: compresses about 3:1, as a layer of sources and text does. */
function text(size: number, seed: number): Buffer {
  const words = ['layer', 'image', 'strata', 'gzip', 'deflate', 'window', 'block', 'python', 'site-packages', 'lib', 'usr', 'etc'];
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size;) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const w = x % 13 === 12 ? `${x % 100000}\n` : `${words[x % 12]!} `;
    i += b.write(w, i);
  }
  return b;
}

function random(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0; b[i] = x & 0xff; }
  return b;
}

const FILES: Record<string, Buffer> = {
  'etc/os-release': Buffer.from('PRETTY_NAME="Strata zran 1"\nID=strata\n'),
  // In this order in the tar (--sort=name).
  'opt/1-a.txt': text(9 << 20, 1),
  'opt/2-noise.bin': random(2 << 20, 2),
  'opt/3-middle.txt': Buffer.from('in the middle of the layer\n'),
  'opt/4-b.txt': text(9 << 20, 3),
  'opt/5-c.txt': text(5 << 20, 4),
  'zz/last.txt': Buffer.from('the last file of the layer\n'),
};

let gz: Buffer;
let result: LayerResult;
let merged: MergedImage;
/** What `tar -xOf` prints for each path. */
const tarSays = (path: string): Buffer => execFileSync('tar', ['-xOf', join(dir, 'layer.tar.gz'), path], { maxBuffer: 1 << 26 });
/** The header offset the first pass recorded for `path`. */
const offsetOf = (path: string): number => {
  const x = result.entries;
  for (let i = 0; i < x.count; i++) if (entryPath(x, i) === path) return x.offset[i]!;
  throw new Error(`no ${path}`);
};

/**
 * The layer's bytes in 64 KiB chunks, as a browser's Blob stream gives them (Node's gives a slice in
 * one chunk, so the stored bytes a read costs would always be the rest of the layer).
 */
function sourceOf(blob: Uint8Array): ByteSource {
  return {
    size: blob.length,
    read: (offset, length) => Promise.resolve(blob.slice(offset, offset + length)),
    stream: (from = 0, to = blob.length) => chunkedStream(blob.subarray(from, to), 64 << 10),
  };
}
const layerOf = (blob: Uint8Array, checkpoints: GzipCheckpoints): LayerBytes => ({ source: sourceOf(blob), compression: 'gzip', checkpoints });
const read = (layer: LayerBytes, path: string, opts: { signal?: AbortSignal; onProgress?: (p: ContentProgress) => void } = {}) =>
  readFileContent(merged, FINAL, path, 0, 1 << 30, { layerBytes: () => layer, ...opts });

/** A copy of the checkpoints recorded on the intact layer (stores are filled in place). */
const copyOf = (s: GzipCheckpoints): GzipCheckpoints => { const c = new GzipCheckpoints(0, s.every); c.add(s.points); return c; };

describe.skipIf(!HAS_TOOLS)('checkpoints in a single-stream gzip layer (GNU tar + gzip)', () => {
  let recorded: GzipCheckpoints;

  beforeAll(async () => {
    const root = join(dir, 'root');
    for (const [path, bytes] of Object.entries(FILES)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), bytes);
    }
    execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--mtime=@0', '-cf', join(dir, 'layer.tar'), '-C', root, 'etc', 'opt', 'zz']);
    execFileSync('gzip', ['-6', '-n', '-k', join(dir, 'layer.tar')]);
    gz = readFileSync(join(dir, 'layer.tar.gz'));
    result = await indexLayer(new Blob([gz as BlobPart]).stream() as ReadableStream<Uint8Array>);
    merged = mergeLayers([result.entries]);
  }, 120_000);

  it('the first read decodes from the start and records; later reads restart at a checkpoint and decode about one spacing', async () => {
    // One gzip member: the first pass found no restart point.
    expect(result.restarts).toBeUndefined();
    expect(gz.length).toBeGreaterThan(5e6);
    const store = new GzipCheckpoints(gz.length);
    expect(store.every).toBe(1 << 20);
    const layer = layerOf(gz, store);

    const first = await read(layer, 'zz/last.txt');
    expect(Buffer.from(first.bytes).equals(tarSays('zz/last.txt'))).toBe(true);
    expect(first.how).toBe('rescan');
    expect(first.check).toBe('whole-file');
    expect(first.cost.skippedBytes).toBe(offsetOf('zz/last.txt'));
    // About one per MiB of the stored layer.
    expect(store.points.length).toBeGreaterThanOrEqual(Math.floor(gz.length / (1 << 20)) - 2);
    expect(store.bytes).toBe(store.points.length * 32768);

    for (const path of ['zz/last.txt', 'opt/3-middle.txt', 'etc/os-release', 'opt/5-c.txt']) {
      const again = await read(layer, path);
      expect(Buffer.from(again.bytes).equals(tarSays(path)), path).toBe(true);
      expect(again.check, path).toBe('whole-file');
      if (path === 'etc/os-release') {
        // At the layer's start (after the header of etc/): no checkpoint before it, a plain
        // decode of the first bytes.
        expect(again.how).toBe('rescan');
        expect(again.cost.skippedBytes).toBe(512);
        continue;
      }
      expect(again.how, path).toBe('gzip-checkpoint');
      // From the checkpoint before the entry: about one spacing (1 MiB) of stored bytes, where a
      // decode from the start reads the layer up to the file (all 6.4 MB for zz/last.txt) and
      // throws away the 11 to 27 MB of tar before it.
      expect(again.cost.storedBytes, path).toBeLessThan(2 << 20);
      expect(again.cost.skippedBytes, path).toBeLessThan(8 << 20);
    }
    recorded = store;
  }, 120_000);

  it('a restart that runs to the layer end checks the member CRC32 from the recorded prefix', async () => {
    const layer = layerOf(gz, copyOf(recorded));
    const r = await readBody(layer, offsetOf('zz/last.txt'), 0, 100);
    expect(r.how).toBe('gzip-checkpoint');
    expect(r.checkedToEnd).toBe(true);
    expect(Buffer.from(r.bytes).toString()).toBe('the last file of the layer\n');
    // The trailer's CRC flipped: the same read is an error, not the text.
    const bad = Buffer.from(gz);
    bad[bad.length - 8]! ^= 0x01;
    await expect(readBody(layerOf(bad, copyOf(recorded)), offsetOf('zz/last.txt'), 0, 100)).rejects.toThrow(/could not be decoded.*incorrect data check/);
  });

  it('a flipped byte in the stretch read from a checkpoint is an error, never wrong text', async () => {
    const store = copyOf(recorded);
    const at = offsetOf('opt/5-c.txt');
    const cp = store.before(at)!;
    expect(cp).toBeDefined();
    const bad = Buffer.from(gz);
    bad[cp.stored + 5000]! ^= 0x20;
    const err = await read(layerOf(bad, store), 'opt/5-c.txt').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).code).toBe('content-corrupt');
  });

  it('a flipped byte while recording is an error, and nothing is recorded from that decode', async () => {
    const store = new GzipCheckpoints(gz.length);
    const bad = Buffer.from(gz);
    bad[Math.floor(gz.length * 0.6)]! ^= 0x20;
    const err = await read(layerOf(bad, store), 'zz/last.txt').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ContentError);
    // inflate may take the flipped bit for other valid codes: the tar headers after it then make
    // no sense where the index says the file starts.
    expect(['content-corrupt', 'content-not-found']).toContain((err as ContentError).code);
    expect(store.points).toEqual([]);
  }, 60_000);

  it('a layer cut short is an error whether read from the start or from a checkpoint', async () => {
    const cut = gz.subarray(0, gz.length - 200_000);
    for (const store of [new GzipCheckpoints(gz.length), copyOf(recorded)]) {
      const err = await read(layerOf(cut, store), 'zz/last.txt').then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ContentError);
      expect(['content-corrupt', 'content-truncated']).toContain((err as ContentError).code);
    }
  }, 60_000);

  it('the recording read is cancelled by its signal, and a later read still gives the right bytes', async () => {
    const store = new GzipCheckpoints(gz.length);
    const layer = layerOf(gz, store);
    const ac = new AbortController();
    const reason = new Error('user went elsewhere');
    let progress = 0;
    const p = read(layer, 'zz/last.txt', { signal: ac.signal, onProgress: () => { progress++; ac.abort(reason); } });
    await expect(p).rejects.toBe(reason);
    expect(progress).toBe(1);
    const mid = await read(layer, 'opt/3-middle.txt');
    expect(Buffer.from(mid.bytes).equals(tarSays('opt/3-middle.txt'))).toBe(true);
  }, 60_000);
});

// A file larger than WHOLE_FILE_LIMIT is read by window (the CLI's --cat, the page's download):
// a window deep inside it restarts at the checkpoint before the window, not before the file.
describe.skipIf(!HAS_TOOLS)('a window deep inside a large file of a single-stream gzip layer', () => {
  const HUGE = random(40 << 20, 9);
  let big: Buffer;
  let bigResult: LayerResult;
  let bigMerged: MergedImage;

  beforeAll(async () => {
    const root = join(dir, 'big');
    mkdirSync(join(root, 'opt'), { recursive: true });
    mkdirSync(join(root, 'zz'), { recursive: true });
    writeFileSync(join(root, 'opt/huge.bin'), HUGE);
    writeFileSync(join(root, 'zz/last.txt'), 'after the large file\n');
    execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--mtime=@0', '-cf', join(dir, 'big.tar'), '-C', root, 'opt', 'zz']);
    execFileSync('gzip', ['-6', '-n', '-k', join(dir, 'big.tar')]);
    big = readFileSync(join(dir, 'big.tar.gz'));
    bigResult = await indexLayer(new Blob([big as BlobPart]).stream() as ReadableStream<Uint8Array>);
    bigMerged = mergeLayers([bigResult.entries]);
  }, 120_000);

  it('reads the window from the checkpoint before it: the bytes tar -xOf gives, a few MB decoded, not 30', async () => {
    const store = new GzipCheckpoints(big.length);
    const layer = layerOf(big, store);
    const window = (offset: number) => readFileContent(bigMerged, FINAL, 'opt/huge.bin', offset, 1 << 16, { layerBytes: () => layer });
    const huge = execFileSync('tar', ['-xOf', join(dir, 'big.tar.gz'), 'opt/huge.bin'], { maxBuffer: 1 << 27 });
    expect(huge.length).toBe(40 << 20);
    // The first window past the start records checkpoints on the way (a rescan).
    const first = await window(20 << 20);
    expect(first.how).toBe('rescan');
    expect(Buffer.from(first.bytes).equals(huge.subarray(20 << 20, (20 << 20) + (1 << 16)))).toBe(true);
    expect(first.cost.skippedBytes).toBeGreaterThan(20 << 20);
    // Deeper than anything recorded: from the last checkpoint (about 21 MiB in), recording on.
    const deeper = await window(35 << 20);
    expect(deeper.how).toBe('gzip-checkpoint');
    expect(Buffer.from(deeper.bytes).equals(huge.subarray(35 << 20, (35 << 20) + (1 << 16)))).toBe(true);
    expect(deeper.check).toBe('none');
    // Back inside the recorded stretch: one spacing (1 MiB here, random bytes stored as they are)
    // before the window at most, plus the header read (from the checkpoint before it: none, 512 B).
    const again = await window(30 << 20);
    expect(again.how).toBe('gzip-checkpoint');
    expect(Buffer.from(again.bytes).equals(huge.subarray(30 << 20, (30 << 20) + (1 << 16)))).toBe(true);
    expect(again.cost.skippedBytes).toBeLessThan(4 << 20);
    expect(again.cost.storedBytes).toBeLessThan(5 << 20);
    // Random bytes are stored blocks, which carry no check of their own, and the window ends long
    // before the member does: nothing vouches for these bytes, and `check` says so.
    expect(again.check).toBe('none');
    // The layer cut inside that stretch: an error, not a short window.
    const cp = store.before((30 << 20) + 1024)!;
    const cut = big.subarray(0, cp.stored + 100_000);
    const err = await readFileContent(bigMerged, FINAL, 'opt/huge.bin', 30 << 20, 1 << 16, { layerBytes: () => layerOf(cut, copyOf(store)) }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).message).toMatch(/gzip stream ends inside a member/);
  }, 120_000);
});
