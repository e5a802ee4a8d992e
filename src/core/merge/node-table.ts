// The node table of a merged filesystem: one row per path ever seen in any layer of an image, held
// in typed arrays. Names are UTF-8 bytes in one buffer; a path is found by an open-addressing hash
// on (parent id, name bytes), so a million-entry layer resolves without a JS string per entry.

import type { StringTableData } from '../index/string-table';
import { decodeUtf8, encodeUtf8 } from '../utf8';

const SLASH = 0x2f;

/** Node 0 is the root directory; it has no name and is its own ancestor of everything. */
export const ROOT = 0;

export class NodeTable {
  count = 1;
  parent: Int32Array;
  nameStart: Uint32Array;
  nameLength: Uint32Array;
  nameHash: Uint32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  private names: Uint8Array;
  private namesLength = 0;
  private slots: Int32Array;
  private cap: number;
  /** Called with the new capacity whenever the node columns grow, so owners can grow theirs. */
  onGrow: ((capacity: number) => void) | undefined;

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.parent = new Int32Array(this.cap);
    this.nameStart = new Uint32Array(this.cap);
    this.nameLength = new Uint32Array(this.cap);
    this.nameHash = new Uint32Array(this.cap);
    this.firstChild = new Int32Array(this.cap).fill(-1);
    this.nextSibling = new Int32Array(this.cap).fill(-1);
    this.names = new Uint8Array(this.cap * 12);
    this.slots = new Int32Array(slotCountFor(this.cap));
    this.parent[ROOT] = -1;
  }

  get capacity(): number {
    return this.cap;
  }

  /** The child of `parent` named by `bytes[start, end)`, created when `create` is set; -1 if absent. */
  child(parent: number, bytes: Uint8Array, start: number, end: number, create: boolean): number {
    const h = hashBytes(bytes, start, end);
    const mask = this.slots.length - 1;
    let slot = mix(parent, h) & mask;
    for (;;) {
      const id = this.slots[slot]!;
      if (id === 0) break;
      if (this.parent[id] === parent && this.nameHash[id] === h && this.sameName(id, bytes, start, end)) return id;
      slot = (slot + 1) & mask;
    }
    if (!create) return -1;
    const id = this.append(parent, bytes, start, end, h);
    this.slots[slot] = id;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** Resolve a slash-separated path held in `bytes[start, end)`; empty components are skipped. */
  resolve(bytes: Uint8Array, start: number, end: number, create: boolean, from = ROOT): number {
    let node = from;
    let s = start;
    while (s < end && node >= 0) {
      let e = s;
      while (e < end && bytes[e] !== SLASH) e++;
      if (e > s) node = this.child(node, bytes, s, e, create);
      s = e + 1;
    }
    return node;
  }

  /** Find a path given as a string (`usr/bin/env`, with or without a leading '/'); -1 if absent. */
  find(path: string): number {
    const bytes = encodeUtf8(path);
    return this.resolve(bytes, 0, bytes.length, false);
  }

  /** Resolve string `id` of a layer's string table as a path. */
  resolveString(table: StringTableData, id: number, create: boolean): number {
    return this.resolve(table.bytes, table.offsets[id]!, table.offsets[id + 1]!, create);
  }

  name(id: number): string {
    const s = this.nameStart[id]!;
    return decodeUtf8(this.names, s, s + this.nameLength[id]!);
  }

  /** Full path without a leading slash ('' for the root). */
  path(id: number): string {
    const parts: string[] = [];
    for (let n = id; n > ROOT; n = this.parent[n]!) parts.push(this.name(n));
    return parts.reverse().join('/');
  }

  /** Byte-wise order of two names (C locale), the order `ls` and `tar` listings use. */
  compareNames(a: number, b: number): number {
    const sa = this.nameStart[a]!;
    const sb = this.nameStart[b]!;
    const la = this.nameLength[a]!;
    const lb = this.nameLength[b]!;
    const n = Math.min(la, lb);
    const names = this.names;
    for (let i = 0; i < n; i++) {
      const d = names[sa + i]! - names[sb + i]!;
      if (d !== 0) return d;
    }
    return la - lb;
  }

  /** Byte-wise order of this table's name `a` and another table's name `b` (joining two images). */
  compareNameWith(a: number, other: NodeTable, b: number): number {
    const sa = this.nameStart[a]!;
    const sb = other.nameStart[b]!;
    const la = this.nameLength[a]!;
    const lb = other.nameLength[b]!;
    const n = Math.min(la, lb);
    for (let i = 0; i < n; i++) {
      const d = this.names[sa + i]! - other.names[sb + i]!;
      if (d !== 0) return d;
    }
    return la - lb;
  }

  /**
   * Whether node `id`'s name holds `needle` (ASCII, already lower-case), ignoring ASCII case: what
   * a case-insensitive JS RegExp of an ASCII needle matches, since no byte of a multi-byte UTF-8
   * sequence is ASCII. Reads the name bytes in place: no string per node.
   */
  nameContains(id: number, needle: Uint8Array): boolean {
    const s = this.nameStart[id]!;
    const last = s + this.nameLength[id]! - needle.length;
    const names = this.names;
    outer: for (let i = s; i <= last; i++) {
      for (let j = 0; j < needle.length; j++) {
        let c = names[i + j]!;
        if (c >= 0x41 && c <= 0x5a) c |= 0x20;
        if (c !== needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }

  private sameName(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    if (this.nameLength[id] !== len) return false;
    const s = this.nameStart[id]!;
    for (let i = 0; i < len; i++) if (this.names[s + i] !== bytes[start + i]) return false;
    return true;
  }

  private append(parent: number, bytes: Uint8Array, start: number, end: number, h: number): number {
    if (this.count === this.cap) this.grow();
    const id = this.count++;
    const len = end - start;
    if (this.namesLength + len > this.names.length) {
      const next = new Uint8Array(Math.max(this.names.length * 2, this.namesLength + len));
      next.set(this.names.subarray(0, this.namesLength));
      this.names = next;
    }
    this.names.set(bytes.subarray(start, end), this.namesLength);
    this.nameStart[id] = this.namesLength;
    this.nameLength[id] = len;
    this.namesLength += len;
    this.nameHash[id] = h;
    this.parent[id] = parent;
    // Children are prepended: order does not matter here, listings sort by name when asked.
    this.nextSibling[id] = this.firstChild[parent]!;
    this.firstChild[parent] = id;
    return id;
  }

  private grow(): void {
    const cap = Math.max(16, this.cap * 2);
    this.parent = growInt32(this.parent, cap, 0);
    this.nameStart = growUint32(this.nameStart, cap);
    this.nameLength = growUint32(this.nameLength, cap);
    this.nameHash = growUint32(this.nameHash, cap);
    this.firstChild = growInt32(this.firstChild, cap, -1);
    this.nextSibling = growInt32(this.nextSibling, cap, -1);
    this.cap = cap;
    this.onGrow?.(cap);
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.placeAll();
  }

  /** Every node into the (empty) slots. */
  private placeAll(): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let id = 1; id < this.count; id++) {
      let slot = mix(this.parent[id]!, this.nameHash[id]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
  }

  /**
   * Drops the room left for growth once the table is complete (a merge sizes it for every entry
   * of every layer, and names and slots grow by doubling): each column to `count`, the names to
   * their bytes, the hash slots to the fewest that keep the load under one half. The table still
   * grows if asked to. On the 2 GB bench image: 6.4 -> ~4 MB of names, 4.2 -> 2.1 MB of slots.
   */
  compact(): void {
    const n = this.count;
    this.parent = this.parent.slice(0, n);
    this.nameStart = this.nameStart.slice(0, n);
    this.nameLength = this.nameLength.slice(0, n);
    this.nameHash = this.nameHash.slice(0, n);
    this.firstChild = this.firstChild.slice(0, n);
    this.nextSibling = this.nextSibling.slice(0, n);
    this.cap = n;
    this.names = this.names.slice(0, this.namesLength);
    if (slotCountFor(n) < this.slots.length) {
      this.slots = new Int32Array(slotCountFor(n));
      this.placeAll();
    }
  }

  /** Bytes held by the table's arrays (for the benchmark's memory figures). */
  byteLength(): number {
    const cols = [this.parent, this.nameStart, this.nameLength, this.nameHash, this.firstChild, this.nextSibling];
    return cols.reduce((s, a) => s + a.byteLength, 0) + this.names.byteLength + this.slots.byteLength;
  }
}

function slotCountFor(cap: number): number {
  let n = 16;
  while (n < cap * 2) n *= 2;
  return n;
}

/** FNV-1a over the name's bytes. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Fold the parent id into the name hash (murmur3's finaliser spreads nearby ids apart). */
function mix(parent: number, h: number): number {
  let x = (h ^ Math.imul(parent, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export function growInt32(a: Int32Array, cap: number, fill: number): Int32Array {
  const next = new Int32Array(cap);
  if (fill !== 0) next.fill(fill, a.length);
  next.set(a);
  return next;
}

export function growUint32(a: Uint32Array, cap: number): Uint32Array {
  const next = new Uint32Array(cap);
  next.set(a);
  return next;
}

export function growFloat64(a: Float64Array, cap: number): Float64Array {
  const next = new Float64Array(cap);
  next.set(a);
  return next;
}

export function growUint8(a: Uint8Array, cap: number): Uint8Array {
  const next = new Uint8Array(cap);
  next.set(a);
  return next;
}
