import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CodecError } from './errors';
import { decompressStream, type DecompressOptions } from './stream';
import { chunkedStream } from '../../../test/streams';
import { chromiumLikeGunzip } from '../../../test/chromium-like-gunzip';

const has = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
const HAS_GZIP = has('gzip');
const HAS_ZSTD = has('zstd');
if (!HAS_GZIP) console.warn('SKIP gzip round trips: `gzip` CLI not found on PATH');
if (!HAS_ZSTD) console.warn('SKIP zstd round trips: `zstd` CLI not found on PATH');

const dir = mkdtempSync(join(tmpdir(), 'strata-codec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic mix of text, incompressible bytes and zero runs, like a real layer tar. */
function sample(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    const block = (i >> 12) % 3;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = block === 0 ? 97 + (x % 7) : block === 1 ? x & 0xff : 0;
  }
  return b;
}

let n = 0;
/** Runs a CLI on `data` (as a file, like users do) and returns its stdout. */
function cli(cmd: string, args: string[], data: Buffer): Buffer {
  const f = join(dir, `in-${n++}`);
  writeFileSync(f, data);
  return execFileSync(cmd, [...args, f], { maxBuffer: 1 << 28 });
}
const gzip = (d: Buffer): Buffer => cli('gzip', ['-c', '-6', '-n'], d);
const zstd = (d: Buffer): Buffer => cli('zstd', ['-c', '-3', '-q'], d);
/** The reference output users know: `gzip -dc` / `zstd -dc`. */
const reference = (kind: 'gzip' | 'zstd', c: Buffer): Buffer => cli(kind, ['-dc', '-q'], c);


async function collect(s: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of s as unknown as AsyncIterable<Uint8Array>) parts.push(p);
  return Buffer.concat(parts);
}

/** Fails the test instead of hanging: the bug zstddec's own stream API has on corrupt input. */
function guard<T>(p: Promise<T>, ms = 15_000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`no result within ${ms} ms`)), ms))]);
}

async function decodeError(kind: 'gzip' | 'zstd', c: Uint8Array, opts: DecompressOptions = {}): Promise<CodecError> {
  const err = await guard(collect(decompressStream(kind, chunkedStream(c, 4096), opts)).then(() => undefined, (e: unknown) => e));
  expect(err).toBeInstanceOf(CodecError);
  return err as CodecError;
}

const gzipBackends: [string, DecompressOptions][] = [
  ['native DecompressionStream', { gzip: 'native' }],
  ['pako', { gzip: 'pako' }],
  ['Chromium-like single-member native', { gzip: chromiumLikeGunzip }],
];

describe.skipIf(!HAS_GZIP).each(gzipBackends)('gzip via %s', (_name, opts) => {
  const data = sample(300_000, 1);
  const single = gzip(data);
  // estargz-style: many members back to back, including an empty one.
  const parts = [0, 1000, 1001, 50_000, 50_000, 120_000, 300_000].map((v, i, a) => data.subarray(v, a[i + 1] ?? v));
  const multi = Buffer.concat(parts.map(gzip));

  it.each([['whole', 1 << 30], ['7-byte', 7], ['512-byte', 512]])('round trip fed %s equals gzip -dc', async (_n, size) => {
    expect((await collect(decompressStream('gzip', chunkedStream(single, size), opts))).equals(reference('gzip', single))).toBe(true);
  });

  it('round trip of a small layer fed in 1-byte chunks', async () => {
    const small = gzip(data.subarray(0, 20_000));
    const out = await guard(collect(decompressStream('gzip', chunkedStream(small, 1), opts)), 60_000);
    expect(out.equals(data.subarray(0, 20_000))).toBe(true);
  });

  it.each([['whole', 1 << 30], ['1-byte', 1], ['7-byte', 7], ['512-byte', 512]])('multi-member (estargz) fed %s equals gzip -dc', async (_n, size) => {
    const input = size === 1 ? Buffer.concat(parts.slice(0, 3).map(gzip)) : multi;
    const out = await guard(collect(decompressStream('gzip', chunkedStream(input, size), opts)), 60_000);
    expect(out.equals(reference('gzip', input))).toBe(true);
  });

  // 40 small members: past the point where the Chromium path hands over to pako.
  const smallParts = Array.from({ length: 40 }, (_, i) => gzip(data.subarray(i * 1500, i * 1500 + 1500)));
  const manySmall = Buffer.concat(smallParts);

  it.each([['whole', 1 << 30], ['7-byte', 7], ['512-byte', 512]])('40 small members fed %s equal gzip -dc', async (_n, size) => {
    const out = await guard(collect(decompressStream('gzip', chunkedStream(manySmall, size), opts)), 60_000);
    expect(out.equals(reference('gzip', manySmall))).toBe(true);
  });

  it('40 small members: a flipped byte in member 30 or a cut in member 40 is an error', async () => {
    const bad = Buffer.from(manySmall);
    const at = smallParts.slice(0, 30).reduce((a, p) => a + p.length, 0) + 30;
    bad[at] = bad[at]! ^ 0x10;
    const err = await decodeError('gzip', bad, opts);
    expect(err.code).toMatch(/^gzip-/);
    expect(err.offset).toBeGreaterThan(at - 30 - 1);
    expect((await decodeError('gzip', manySmall.subarray(0, manySmall.length - 5), opts)).code).toBe('gzip-truncated');
  });

  it('accepts trailing zero padding as gzip -dc does', async () => {
    const padded = Buffer.concat([multi, Buffer.alloc(1500)]);
    expect((await collect(decompressStream('gzip', chunkedStream(padded, 512), opts))).equals(data)).toBe(true);
  });

  it('rejects non-zero trailing garbage', async () => {
    const err = await decodeError('gzip', Buffer.concat([single, Buffer.from('JUNK-JUNK-JUNK')]), opts);
    expect(err.code).toMatch(/^gzip-(trailing-garbage|corrupt)$/);
  });

  it('a flipped byte in the middle is a CodecError, not wrong output', async () => {
    for (const at of [0.3, 0.5, 0.7].map((f) => Math.floor(single.length * f))) {
      const bad = Buffer.from(single);
      bad[at] = bad[at]! ^ 0x55;
      const err = await decodeError('gzip', bad, opts);
      expect(err.code).toMatch(/^gzip-/);
    }
  });

  it('a flipped byte inside the second member is a CodecError', async () => {
    const bad = Buffer.from(multi);
    const at = gzip(parts[0]!).length + 40;
    bad[at] = bad[at]! ^ 0x01;
    expect((await decodeError('gzip', bad, opts)).code).toMatch(/^gzip-/);
  });

  it.each([0.6, 0.999])('a stream cut at %s of its length is gzip-truncated', async (f) => {
    const err = await decodeError('gzip', single.subarray(0, Math.floor(single.length * f)), opts);
    expect(err.code).toBe('gzip-truncated');
  });

  it('an empty blob is gzip-truncated', async () => {
    expect((await decodeError('gzip', new Uint8Array(0), opts)).code).toBe('gzip-truncated');
  });
});

describe.skipIf(!HAS_ZSTD)('zstd', () => {
  const data = sample(400_000, 2);
  const single = zstd(data);
  /** RFC 8878 3.1.2: magic 0x184D2A5? LE, 4-byte LE size, then user data. */
  const skippable = (payload: string): Buffer => {
    const p = Buffer.from(payload);
    const h = Buffer.alloc(8);
    h.writeUInt32LE(0x184d2a53, 0);
    h.writeUInt32LE(p.length, 4);
    return Buffer.concat([h, p]);
  };
  const multi = Buffer.concat([skippable('seek table'), zstd(data.subarray(0, 150_000)), skippable(''), zstd(data.subarray(150_000))]);

  it.each([['whole', 1 << 30], ['7-byte', 7], ['512-byte', 512]])('round trip fed %s equals zstd -dc', async (_n, size) => {
    expect((await collect(decompressStream('zstd', chunkedStream(single, size)))).equals(reference('zstd', single))).toBe(true);
  });

  it.each([['whole', 1 << 30], ['1-byte', 1], ['7-byte', 7], ['512-byte', 512]])('several frames and skippable frames fed %s equal zstd -dc', async (_n, size) => {
    const input = size === 1 ? Buffer.concat([skippable('x'), zstd(data.subarray(0, 8000)), zstd(data.subarray(8000, 20_000))]) : multi;
    const out = await guard(collect(decompressStream('zstd', chunkedStream(input, size))), 60_000);
    expect(out.equals(reference('zstd', input))).toBe(true);
  });

  it('a flipped byte in the middle is zstd-corrupt, not a hang', async () => {
    for (const at of [0.3, 0.5, 0.7].map((f) => Math.floor(single.length * f))) {
      const bad = Buffer.from(single);
      bad[at] = bad[at]! ^ 0x55;
      const err = await decodeError('zstd', bad);
      expect(err.code).toBe('zstd-corrupt');
      expect(err.offset).toBeGreaterThan(0);
    }
  });

  it.each([0.6, 0.999])('a stream cut at %s of its length is zstd-truncated', async (f) => {
    expect((await decodeError('zstd', single.subarray(0, Math.floor(single.length * f)))).code).toBe('zstd-truncated');
  });

  it.each([0.3, 0.6, 0.999])('with reused chunks, a flipped byte is zstd-corrupt and a cut at %s is zstd-truncated', async (f) => {
    const bad = Buffer.from(single);
    const at = Math.floor(single.length * Math.min(f, 0.7));
    bad[at] = bad[at]! ^ 0x55;
    expect((await decodeError('zstd', bad, { reuseChunks: true })).code).toBe('zstd-corrupt');
    expect((await decodeError('zstd', single.subarray(0, Math.floor(single.length * f)), { reuseChunks: true })).code).toBe('zstd-truncated');
  });

  it('with reused chunks, a consumer that copies each chunk before the next read gets zstd -dc', async () => {
    // 3 MB: ~24 chunks of 128 KiB, several turns of the ring. The consumer pauses now and then so
    // that the queue fills up: a ring smaller than the chunks in flight would overwrite one.
    const big = sample(3_000_000, 5);
    const c = zstd(big);
    const reader = decompressStream('zstd', chunkedStream(c, 65536), { reuseChunks: true }).getReader();
    const parts: Buffer[] = [];
    for (let r = await reader.read(), i = 0; !r.done; r = await reader.read(), i++) {
      if (i % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      parts.push(Buffer.from(r.value));
    }
    expect(parts.length).toBeGreaterThan(12);
    expect(Buffer.concat(parts).equals(reference('zstd', c))).toBe(true);
  });

  it('a zero-filled file compressed beyond 10,000:1 streams in bounded chunks', async () => {
    const zeros = execFileSync('sh', ['-c', 'head -c 64000000 /dev/zero | zstd -c -3 -q'], { maxBuffer: 1 << 24 });
    let total = 0;
    let biggest = 0;
    for await (const p of decompressStream('zstd', chunkedStream(zeros, 1 << 20)) as unknown as AsyncIterable<Uint8Array>) {
      total += p.length;
      biggest = Math.max(biggest, p.length);
      if (p.some((b) => b !== 0)) throw new Error('non-zero output');
    }
    expect(total).toBe(64_000_000);
    expect(biggest).toBeLessThanOrEqual(1 << 17);
  });
});

describe.each<['gzip' | 'zstd', boolean]>([['gzip', HAS_GZIP], ['zstd', HAS_ZSTD]])('%s abort', (kind, present) => {
  it.skipIf(!present)('AbortSignal stops an endless stream promptly and cancels the input', async () => {
    const data = sample(200_000, 3);
    const c = kind === 'gzip' ? gzip(data) : zstd(data);
    let cancelled = false;
    let pos = 0;
    // Serves the first half, then never delivers more: like a stalled network download.
    const input = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (pos < c.length / 2) { ctl.enqueue(c.slice(pos, pos + 1024)); pos += 1024; return; }
        return new Promise<void>(() => {});
      },
      cancel() { cancelled = true; },
    });
    const ac = new AbortController();
    const reader = decompressStream(kind, input, { signal: ac.signal }).getReader();
    await new Promise((r) => setTimeout(r, 50)); // let it decode what it has and stall
    const started = Date.now();
    ac.abort();
    const err = await guard((async () => { for (;;) { if ((await reader.read()).done) return undefined; } })().catch((e: unknown) => e), 2000);
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(cancelled).toBe(true);
  });
});

describe('none', () => {
  it('passes bytes through unchanged', async () => {
    const data = sample(10_000, 4);
    expect((await collect(decompressStream('none', chunkedStream(data, 7)))).equals(data)).toBe(true);
  });
});

// Keep readFileSync referenced for ad-hoc debugging of fixtures without an unused-import lint.
void readFileSync;
