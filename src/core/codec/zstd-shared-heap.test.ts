// Two zstd decoders share one WASM heap. One suspended at a yield while the other grows the heap
// must carry on (a real 121 MB base layer failed with "detached ArrayBuffer" before this).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createZstdDecoder } from './zstd';

const HAS_ZSTD = spawnSync('zstd', ['--version']).status === 0;

function compress(data: Uint8Array, level: number): Uint8Array {
  const r = spawnSync('zstd', ['-c', '-q', `-${level}`], { input: data, maxBuffer: 1 << 30 });
  return new Uint8Array(r.stdout);
}

/** A 64 MiB window: the decoder must allocate it, so the shared heap grows. */
function compressLong(data: Uint8Array): Uint8Array {
  const r = spawnSync('zstd', ['-c', '-q', '-3', '--long=26'], { input: data, maxBuffer: 1 << 30 });
  return new Uint8Array(r.stdout);
}

function pseudoRandom(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = (x >>> 16) % 17; }
  return out;
}

describe.skipIf(!HAS_ZSTD)('zstd decoders sharing a heap', () => {
  it('a decoder paused mid-stream survives another one growing the heap', async () => {
    const a = pseudoRandom(4 << 20, 1);
    const b = pseudoRandom(48 << 20, 2);
    const za = compress(a, 3);
    const zb = compressLong(b);
    const first = await createZstdDecoder();
    const it = first.push(za)[Symbol.iterator]();
    const parts: Uint8Array[] = [];
    const step = it.next();
    if (!step.done) parts.push(step.value);
    // While `first` is suspended, a second decoder allocates its window and grows memory.
    const second = await createZstdDecoder();
    let bBytes = 0;
    for (const c of second.push(zb)) bBytes += c.length;
    for (const _ of second.end()) void _;
    expect(bBytes).toBe(b.length);
    for (let s = it.next(); !s.done; s = it.next()) parts.push(s.value);
    for (const c of first.end()) parts.push(c);
    const out = Buffer.concat(parts);
    expect(out.length).toBe(a.length);
    expect(out.equals(Buffer.from(a))).toBe(true);
  });

  it('a frame that ends exactly as the output buffer fills is complete, not "mid-frame"', async () => {
    const a = pseudoRandom(4 << 20, 3); // periodic: blocks of 128 KiB decode from a few bytes
    const d = await createZstdDecoder();
    let n = 0;
    for (const c of d.push(compress(a, 3))) n += c.length;
    for (const c of d.end()) n += c.length;
    expect(n).toBe(a.length);
  });
});
