// Sparse files (GNU tar manual, "Storing Sparse Files" and "GNU Sparse Formats").
// - Old GNU 'S': up to 4 map entries in the header (386..482), `isextended` at 482, the real size
//   at 483; each extension block holds 21 more entries and its own `isextended` at 504.
// - PAX 0.0 / 0.1: map in GNU.sparse.offset/numbytes or GNU.sparse.map records, real size in
//   GNU.sparse.size; the body holds only the data segments.
// - PAX 1.0: GNU.sparse.major=1, real size in GNU.sparse.realsize, and the map at the start of the
//   body: decimal numbers each ending in '\n' (count, then offset/size pairs), padded to a block.

import { BLOCK } from './types';

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
    return true;
  }
}
