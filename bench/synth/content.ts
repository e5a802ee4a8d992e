// Deterministic file bodies that compress like real ones. Two pools are built once from fixed seeds:
// incompressible bytes (AES-CTR keystream: fast and the same everywhere) and pseudo-Python text.
// A body is a run of slices from the pools chosen by a seeded PRNG, so a 400 MB file costs only
// the writes, and gzip sees the mix it would see in an ML image: text ~4:1, binaries ~1.5-2:1,
// weights barely compressible.

import { createCipheriv } from 'node:crypto';

const RANDOM_POOL = 16 * 1024 * 1024;
const TEXT_POOL = 4 * 1024 * 1024;
const BLOCK = 64 * 1024;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let randomPool: Uint8Array | undefined;
let textPool: Uint8Array | undefined;
const zeros = new Uint8Array(BLOCK);

function random(): Uint8Array {
  if (!randomPool) {
    const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0));
    randomPool = new Uint8Array(cipher.update(Buffer.alloc(RANDOM_POOL)));
  }
  return randomPool;
}

const WORDS = ('def class return import from self if else elif for in while try except raise with as ' +
  'lambda yield None True False torch tensor numpy np shape dtype device cuda float32 int64 module ' +
  'forward backward grad weight bias layer norm attention config kwargs args super __init__ assert ' +
  'isinstance len range list dict str print logger warning error value index batch size dim axis').split(' ');

function text(): Uint8Array {
  if (!textPool) {
    const r = prng(0x5eed);
    const parts: string[] = [];
    let n = 0;
    while (n < TEXT_POOL) {
      const indent = '    '.repeat(Math.floor(r() * 3));
      const words = 3 + Math.floor(r() * 9);
      let line = indent;
      for (let i = 0; i < words; i++) {
        const w = WORDS[Math.floor(r() * WORDS.length)]!;
        line += i ? (r() < 0.2 ? `_${w}${Math.floor(r() * 100)}` : ` ${w}`) : w;
        if (r() < 0.1) line += '(' + WORDS[Math.floor(r() * WORDS.length)] + ')';
      }
      parts.push(line + (r() < 0.3 ? ':\n' : '\n'));
      n += line.length + 2;
    }
    textPool = new TextEncoder().encode(parts.join('')).subarray(0, TEXT_POOL);
  }
  return textPool;
}

export type BodyKind = 'text' | 'binary' | 'weights';

/** Calls `write` with slices (views into the pools, not copies) totalling exactly `size` bytes. */
export function writeBody(size: number, kind: BodyKind, seed: number, write: (b: Uint8Array) => void): void {
  const r = prng(seed);
  const t = text();
  const rnd = random();
  let left = size;
  while (left > 0) {
    const n = Math.min(left, BLOCK);
    const x = r();
    // text: all text; binary (.so): 45% random, 40% text-like (symbol tables), 15% zeros;
    // weights: 90% random, 10% zeros (fp16 tensors compress ~1.1:1).
    const source = kind === 'text' ? t
      : kind === 'binary' ? (x < 0.45 ? rnd : x < 0.85 ? t : zeros)
        : (x < 0.9 ? rnd : zeros);
    if (source === zeros) write(zeros.subarray(0, n));
    else {
      const at = Math.floor(r() * (source.length - n));
      write(source.subarray(at, at + n));
    }
    left -= n;
  }
}
