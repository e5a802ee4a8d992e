// What a layer holds, reduced to numbers, so two layers with different diff_ids can be called the
// same content (a rebuild that changed only timestamps) or similar (the same step, other output).
// Read from the columns: no string per entry.

import { EntryKind } from '../types';
import type { LayerIndex } from '../index/layer-index';

export interface LayerSignature {
  entries: number;
  /** Order-independent sums of two 32-bit hashes of every entry's path, kind, size, mode, owner,
   *  content hash and link target (never its mtime). */
  h1: number;
  h2: number;
  /** False when a non-empty file has no content hash: "same bytes" cannot then be claimed. */
  hashed: boolean;
}

/** Bottom-k sketches (Broder's MinHash, bottom-k variant) of the path set and the path+content set. */
export interface LayerSketch {
  paths: Uint32Array;
  contents: Uint32Array;
}

export const SKETCH_SIZE = 256;

function fnv(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** murmur3's finaliser over h mixed with v. */
function mix(h: number, v: number): number {
  let x = (h ^ Math.imul(v | 0, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function pathHash(x: LayerIndex, i: number, seed: number): number {
  const id = x.path[i]!;
  return fnv(x.strings.bytes, x.strings.offsets[id]!, x.strings.offsets[id + 1]!, seed);
}

function contentHash(x: LayerIndex, i: number, h: number): number {
  h = mix(h, x.kind[i]!);
  h = mix(h, x.size[i]! % 0x100000000);
  h = mix(h, Math.floor(x.size[i]! / 0x100000000));
  h = mix(h, x.hash[2 * i]!);
  h = mix(h, x.hash[2 * i + 1]!);
  const link = x.link[i]!;
  if (link >= 0) h = mix(h, fnv(x.strings.bytes, x.strings.offsets[link]!, x.strings.offsets[link + 1]!, 0x811c9dc5));
  return h;
}

export function layerSignature(x: LayerIndex): LayerSignature {
  let h1 = 0;
  let h2 = 0;
  let hashed = true;
  for (let i = 0; i < x.count; i++) {
    const k = x.kind[i]!;
    if (k === EntryKind.file && x.size[i]! > 0 && x.hash[2 * i] === 0 && x.hash[2 * i + 1] === 0) hashed = false;
    let a = contentHash(x, i, pathHash(x, i, 0x811c9dc5));
    a = mix(mix(mix(a, x.mode[i]! & 0o7777), x.uid[i]!), x.gid[i]!);
    let b = contentHash(x, i, pathHash(x, i, 0x01000193));
    b = mix(mix(mix(b, x.gid[i]!), x.mode[i]! & 0o7777), x.uid[i]! ^ 0x5bd1e995);
    h1 = (h1 + a) >>> 0;
    h2 = (h2 + b) >>> 0;
  }
  return { entries: x.count, h1, h2, hashed };
}

export function sameSignature(a: LayerSignature, b: LayerSignature): boolean {
  return a.hashed && b.hashed && a.entries === b.entries && a.h1 === b.h1 && a.h2 === b.h2;
}

export function layerSketch(x: LayerIndex): LayerSketch {
  const paths = new Uint32Array(x.count);
  const contents = new Uint32Array(x.count);
  for (let i = 0; i < x.count; i++) {
    const p = pathHash(x, i, 0x811c9dc5);
    paths[i] = mix(p, 0);
    contents[i] = contentHash(x, i, p);
  }
  return { paths: bottomK(paths), contents: bottomK(contents) };
}

function bottomK(h: Uint32Array): Uint32Array {
  h.sort();
  const out = new Uint32Array(Math.min(SKETCH_SIZE, h.length));
  let n = 0;
  for (let i = 0; i < h.length && n < out.length; i++) if (i === 0 || h[i] !== h[i - 1]) out[n++] = h[i]!;
  return out.slice(0, n);
}

/** Jaccard estimate from two bottom-k sketches: the share of the union's k smallest held by both. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  const k = Math.min(SKETCH_SIZE, new Set([...a, ...b]).size);
  let i = 0;
  let j = 0;
  let taken = 0;
  let both = 0;
  while (taken < k && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) { both++; i++; j++; } else if (x < y) i++; else j++;
    taken++;
  }
  return both / taken;
}

/** Similarity of two layers' file sets: the mean of path and path+content Jaccard estimates. */
export function similarity(a: LayerSketch, b: LayerSketch): number {
  return (jaccard(a.paths, b.paths) + jaccard(a.contents, b.contents)) / 2;
}
