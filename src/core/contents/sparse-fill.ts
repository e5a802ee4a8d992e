// A sparse file's bytes as GNU tar extracts them (GNU tar manual, "Storing Sparse Files"): the tar
// body holds only the data segments, one after another; the map on the entry (old GNU 'S' header
// and extension blocks, PAX 0.0/0.1 records, PAX 1.0 map at the start of the body: tar/sparse.ts)
// says where each goes; everything else reads as zeros, up to the real size. A window of the file
// may fall in a hole, in data, or across both; it costs the stored bytes of the segments it
// touches, never the holes.

import type { TarEntry } from '../tar';
import { ContentError } from './errors';

/** A checked map: segment i holds `size[i]` bytes at file offset `at[i]`, stored at `dataAt[i]`. */
export interface SparseLayout {
  at: number[];
  size: number[];
  dataAt: number[];
  /** The file's real size. */
  fileSize: number;
}

/**
 * The entry's map, checked as GNU tar checks it before extracting: whole numbers, segments in
 * order and not overlapping, inside the real size, their sizes adding up to the stored bytes.
 */
export function sparseLayout(entry: TarEntry): SparseLayout {
  const where = `sparse file ${JSON.stringify(entry.rawPath)} (entry at byte ${entry.headerOffset} of the layer)`;
  const pairs = entry.sparseMap;
  if (!pairs) throw new ContentError('content-unsupported', `${where}: its segment map is longer than 1,048,576 segments or unreadable; its contents are not shown`);
  const at: number[] = [];
  const size: number[] = [];
  const dataAt: number[] = [];
  let end = 0;
  let data = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    const o = pairs[i]!;
    const n = pairs[i + 1];
    const seg = `segment ${i / 2 + 1} of its map (offset ${o}, ${n ?? '?'} bytes)`;
    if (n === undefined || !Number.isSafeInteger(o) || !Number.isSafeInteger(n) || o < 0 || n < 0) throw new ContentError('content-corrupt', `${where}: ${seg} is not a pair of byte counts`);
    if (o < end) throw new ContentError('content-corrupt', `${where}: ${seg} starts before the end of the one before it (byte ${end}): the map is out of order`);
    if (o + n > entry.size) throw new ContentError('content-corrupt', `${where}: ${seg} ends past the file's real size of ${entry.size} bytes`);
    if (n > 0) { at.push(o); size.push(n); dataAt.push(data); }
    data += n;
    end = o + n;
  }
  if (data !== entry.stored) throw new ContentError('content-corrupt', `${where}: its map holds ${data} bytes of data, but ${entry.stored} are stored`);
  return { at, size, dataAt, fileSize: entry.size };
}

/** The segments [i, j) that overlap the file window [from, to). */
function overlapping(l: SparseLayout, from: number, to: number): [number, number] {
  // First segment ending after `from` (binary search: maps can be long).
  let lo = 0;
  let hi = l.at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (l.at[mid]! + l.size[mid]! <= from) lo = mid + 1; else hi = mid;
  }
  let j = lo;
  while (j < l.at.length && l.at[j]! < to) j++;
  return [lo, j];
}

/** The stored bytes [from, to) of the body that hold the file window [first, last). */
export function storedRange(l: SparseLayout, first: number, last: number): [number, number] {
  const [i, j] = overlapping(l, first, last);
  if (i >= j) return [0, 0];
  const from = l.dataAt[i]! + Math.max(0, first - l.at[i]!);
  const k = j - 1;
  const to = l.dataAt[k]! + Math.min(l.size[k]!, last - l.at[k]!);
  return [from, to];
}

/**
 * The file window [first, last): zeros, with the data of every segment it touches copied in from
 * `stored`, the body bytes starting at stored offset `storedFrom` (storedRange's `from`).
 */
export function fillHoles(l: SparseLayout, stored: Uint8Array, storedFrom: number, first: number, last: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, last - first));
  const [i, j] = overlapping(l, first, last);
  for (let k = i; k < j; k++) {
    const s = Math.max(first, l.at[k]!);
    const e = Math.min(last, l.at[k]! + l.size[k]!);
    if (e <= s) continue;
    const src = l.dataAt[k]! + (s - l.at[k]!) - storedFrom;
    if (src < 0 || src + (e - s) > stored.length) throw new ContentError('content-truncated', `sparse file: ${e - s} bytes of data at file offset ${s} were not read`);
    out.set(stored.subarray(src, src + (e - s)), s - first);
  }
  return out;
}

/**
 * The stored body bytes read-body.ts reads for the file window [from, to): the window itself,
 * clamped to the body, for a plain file; the data of the segments it touches for a sparse one.
 */
export function bodyRange(entry: TarEntry, from: number, to: number): [number, number] {
  if (!entry.sparse) return [Math.min(from, entry.stored), Math.min(to, entry.stored)];
  return storedRange(sparseLayout(entry), from, to);
}
