// Sparse files (GNU tar manual, "Storing Sparse Files" and "GNU Sparse Formats").
// - Old GNU 'S': up to 4 map entries in the header (386..482), `isextended` at 482, the real size
//   at 483; each extension block holds 21 more entries and its own `isextended` at 504.
// - PAX 0.0 / 0.1: map in GNU.sparse.offset/numbytes or GNU.sparse.map records, real size in
//   GNU.sparse.size; the body holds only the data segments.
// - PAX 1.0: GNU.sparse.major=1, real size in GNU.sparse.realsize, and the map at the start of the
//   body: decimal numbers each ending in '\n' (count, then offset/size pairs), padded to a block.

import { readNumber } from './fields';
import { BLOCK } from './types';

/**
 * Segments kept of one entry's map (offset, size pairs): the contents reader asks for the map of
 * the one entry it reads (the first pass keeps none); a longer map is refused there, not held.
 */
export const MAX_KEPT_SEGMENTS = 1 << 20;

/**
 * Collects one entry's map as (offset, size) pairs in file order. `full` once more than
 * MAX_KEPT_SEGMENTS were offered: the map is then dropped (the reader says it is too long).
 */
export class SparseMapCollector {
  readonly pairs: number[] = [];
  full = false;

  add(offset: number, size: number): void {
    if (this.full) return;
    if (this.pairs.length >= 2 * MAX_KEPT_SEGMENTS) { this.full = true; this.pairs.length = 0; return; }
    this.pairs.push(offset, size);
  }

  /** Old GNU map entries (12-byte offset, 12-byte numbytes) from `count` slots at `at`; an empty
   *  offset field ends the list, as GNU tar reads it. */
  addGnuSlots(b: Uint8Array, at: number, count: number): void {
    for (let i = 0; i < count; i++) {
      const off = at + 24 * i;
      if (b[off] === 0) return;
      this.add(readNumber(b, off, 12), readNumber(b, off + 12, 12));
    }
  }

  /** PAX 0.1 `GNU.sparse.map` ("off,size,off,size"), or the 0.0 offset and numbytes lists (pax.ts
   *  joins repeated records with ','). Unreadable numbers are kept as NaN: the reader refuses them. */
  addPaxLists(map: string | undefined, offsets: string | undefined, sizes: string | undefined): void {
    if (map !== undefined) {
      const v = map.split(',');
      for (let i = 0; i < v.length; i += 2) this.add(decimal(v[i]), decimal(v[i + 1]));
      return;
    }
    if (offsets === undefined || sizes === undefined) return;
    const o = offsets.split(',');
    const n = sizes.split(',');
    for (let i = 0; i < Math.max(o.length, n.length); i++) this.add(decimal(o[i]), decimal(n[i]));
  }
}

function decimal(s: string | undefined): number {
  return s !== undefined && /^[0-9]+$/.test(s) ? Number(s) : NaN;
}

/** Old GNU header: does an extension block of sparse entries follow? */
export function gnuHeaderIsExtended(header: Uint8Array): boolean {
  return header[482] !== 0;
}

/** Old GNU extension block: does yet another one follow? */
export function gnuExtensionIsExtended(block: Uint8Array): boolean {
  return block[504] !== 0;
}

/** More numbers than any real map needs: refuse maps that would keep a reader busy forever. */
const MAX_SEGMENTS = 1 << 24;

/** Reads a PAX 1.0 sparse map block by block. One instance per sparse entry, dropped after it. */
export class SparseMapReader {
  /** Numbers still expected; -1 until the count has been read. */
  private expected = -1;
  private value = 0;
  private digits = 0;
  blocks = 0;

  /** With a collector, the numbers after the count are kept as (offset, size) pairs. */
  constructor(private readonly keep?: SparseMapCollector) {}

  private half = -1;

  /** Feed the next body block. Returns 'done' when the map is complete, 'more' or 'bad'. */
  feed(block: Uint8Array): 'done' | 'more' | 'bad' {
    this.blocks++;
    for (let i = 0; i < BLOCK; i++) {
      const c = block[i]!;
      if (c >= 0x30 && c <= 0x39) {
        this.value = this.value * 10 + (c - 0x30);
        this.digits++;
        continue;
      }
      if (c !== 0x0a || this.digits === 0) return 'bad';
      if (!this.number(this.value)) return 'bad';
      this.value = 0;
      this.digits = 0;
      if (this.expected === 0) return 'done';
    }
    return 'more';
  }

  private number(v: number): boolean {
    if (this.expected < 0) {
      if (v > MAX_SEGMENTS) return false;
      this.expected = 2 * v;
      return true;
    }
    this.expected--;
    if (this.keep) {
      if (this.half < 0) this.half = v;
      else { this.keep.add(this.half, v); this.half = -1; }
    }
    return true;
  }
}
