// The zran decoder against GNU gzip's own output: checkpoints recorded on one pass restart the
// stream to the same bytes `gzip -dc` gives, fed whole or in 1-, 7- and 512-byte chunks, across
// member boundaries and zero padding; damage after a restart is an error, never wrong bytes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CodecError } from './errors';
import { createZranGzipDecoder, type DeflateCheckpoint, type ZranStart } from './gzip-zran';

const HAS_GZIP = spawnSync('gzip', ['--version']).status === 0;
if (!HAS_GZIP) console.warn('SKIP gzip-zran: `gzip` CLI not found on PATH');

const dir = mkdtempSync(join(tmpdir(), 'strata-zran-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Text, incompressible bytes (deflate stores those: byte-aligned blocks) and zero runs. */
function sample(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    const block = (i >> 16) % 3;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = block === 0 ? 97 + (x % 7) : block === 1 ? x & 0xff : 0;
  }
  return b;
}

let n = 0;
function file(data: Buffer): string {
  const f = join(dir, `f-${n++}`);
  writeFileSync(f, data);
  return f;
}
const gzip = (d: Buffer, level = '-6'): Buffer => execFileSync('gzip', ['-c', level, '-n', file(d)], { maxBuffer: 1 << 28 });
const gunzip = (d: Buffer): Buffer => execFileSync('gzip', ['-dc', file(d)], { maxBuffer: 1 << 28 });

/**
 * Decodes `input` (the blob from `start.stored` on) in `chunk`-byte pieces; 1-byte pieces only for
 * the first 4 KiB after the restart, where the primed bits and the window are used (a whole stream
 * fed a byte at a time takes minutes on a loaded machine), then 7-byte ones.
 */
function decode(start: ZranStart, input: Uint8Array, chunk: number, every = 0): { out: Buffer; points: DeflateCheckpoint[] } {
  let points: DeflateCheckpoint[] = [];
  const d = createZranGzipDecoder({ start, every, onCheckpoints: (p) => { points = p; } });
  const parts: Uint8Array[] = [];
  try {
    for (let i = 0, step = chunk; i < input.length; i += step) {
      step = chunk === 1 && i >= 4096 ? 7 : chunk;
      for (const o of d.push(input.subarray(i, i + step))) parts.push(o.slice());
    }
    for (const o of d.end()) parts.push(o);
  } finally {
    d.dispose();
  }
  return { out: Buffer.concat(parts), points };
}

describe.skipIf(!HAS_GZIP)('zran over gzip', () => {
  const plain = sample(3 << 20, 7);

  it.each(['-1', '-6', '-9'])('records checkpoints at level %s and restarts at each to the bytes gzip -dc gives', (level) => {
    const gz = gzip(plain, level);
    const expected = gunzip(gz);
    expect(expected.length).toBe(3 << 20);
    const { out, points } = decode({ stored: 0, plain: 0 }, gz, 1 << 16, 256 << 10);
    expect(out.equals(expected)).toBe(true);
    // One per 256 KiB of the stored stream, give or take where blocks end.
    expect(points.length).toBeGreaterThan(gz.length / (256 << 10) - 3);
    for (const [i, p] of points.entries()) {
      expect(p.window.length).toBe(32768);
      expect(p.bits).toBeLessThan(8);
      if (i) expect(p.stored - points[i - 1]!.stored).toBeGreaterThanOrEqual(256 << 10);
      const again = decode(p, gz.subarray(p.stored), i === points.length - 1 ? 1 : [512, 1 << 20][i % 2]!);
      expect(again.out.equals(expected.subarray(p.plain))).toBe(true);
    }
  });

  it('restarts across a member boundary and zero padding, checking the first member\'s trailer', () => {
    const a = sample(1 << 20, 1);
    const b = sample(1 << 20, 2);
    const gz = Buffer.concat([gzip(a), gzip(b), Buffer.alloc(512)]);
    const expected = Buffer.concat([a, b]);
    expect(gunzip(gz).equals(expected)).toBe(true);
    const { out, points } = decode({ stored: 0, plain: 0 }, gz, 4096, 128 << 10);
    expect(out.equals(expected)).toBe(true);
    // Checkpoints in both members; those of the second carry its own start.
    expect(points.some((p) => p.memberPlain === 0)).toBe(true);
    expect(points.some((p) => p.memberPlain === 1 << 20)).toBe(true);
    const inFirst = points.filter((p) => p.memberPlain === 0).at(-1)!;
    // Fed whole, and in pieces that split the first member's trailer and the next header.
    for (const chunk of [1 << 20, 512, 7]) {
      expect(decode(inFirst, gz.subarray(inFirst.stored), chunk).out.equals(expected.subarray(inFirst.plain))).toBe(true);
    }
  });

  it('a flipped trailer CRC after a restart is an error, as it is from the start', () => {
    const gz = gzip(plain);
    const { points } = decode({ stored: 0, plain: 0 }, gz, 1 << 16, 256 << 10);
    const p = points.at(-1)!;
    const bad = Buffer.from(gz);
    bad[bad.length - 8]! ^= 0x01;
    expect(() => decode({ stored: 0, plain: 0 }, bad, 1 << 16)).toThrow(/incorrect data check/);
    expect(() => decode(p, bad.subarray(p.stored), 512)).toThrow(/incorrect data check/);
    // The length too (ISIZE), counted from the member's start, not the checkpoint's.
    const badLen = Buffer.from(gz);
    badLen[badLen.length - 1]! ^= 0x01;
    expect(() => decode(p, badLen.subarray(p.stored), 512)).toThrow(/incorrect length check/);
  });

  it('a flipped byte after a checkpoint is a CodecError and records nothing; a cut stream is truncated', () => {
    const gz = gzip(plain);
    const { points } = decode({ stored: 0, plain: 0 }, gz, 1 << 16, 256 << 10);
    const p = points[2]!;
    const bad = Buffer.from(gz);
    bad[p.stored + 100]! ^= 0x55;
    let kept: DeflateCheckpoint[] = [];
    const d = createZranGzipDecoder({ start: p, every: 64 << 10, onCheckpoints: (x) => { kept = x; } });
    const run = (): void => {
      for (const o of d.push(bad.subarray(p.stored))) void o;
      for (const o of d.end()) void o;
    };
    expect(run).toThrow(CodecError);
    d.dispose();
    expect(kept).toEqual([]);
    const cut = gz.subarray(p.stored, gz.length - 1000);
    let err: unknown;
    try { decode(p, cut, 512); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).code).toBe('gzip-truncated');
  });
});
