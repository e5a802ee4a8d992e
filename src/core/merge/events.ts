// Change events: what each layer did to each node, one row per (node, layer) in typed arrays.
// Rows are appended layer by layer, so a layer's change set is one contiguous range, and each node
// links its rows newest-first so its history (and its state as of any layer) is a short walk.

import { growFloat64, growInt32, growUint8 } from './node-table';

/** How a layer changed a path, compared with the filesystem the lower layers left. */
export const Change = {
  /** The path was not visible below and this layer creates it (explicitly, or as an implied parent). */
  added: 0,
  /** Content differs: another kind, another size, or another content hash. */
  modified: 1,
  /** Same bytes, but mode, owner, mtime or link target differ. */
  meta: 2,
  /** Written again with the same bytes and the same metadata. */
  unchanged: 3,
  /** Hidden by a whiteout (or by a directory being replaced); bytes = what disappeared from view. */
  removed: 4,
} as const;
export type Change = (typeof Change)[keyof typeof Change];

export const CHANGE_NAMES = ['added', 'modified', 'meta', 'unchanged', 'removed'] as const;
export type ChangeName = (typeof CHANGE_NAMES)[number];

/** This layer removed the path itself and everything under it (`.wh.<name>`). */
export const CLEARS_SELF = 1;
/** This layer hid what lower layers had below the directory (`.wh..wh..opq`, or a dir replaced). */
export const CLEARS_CHILDREN = 2;

/** `entry` of a write that no tar entry made: a parent directory the runtime had to create. */
export const IMPLIED = -1;
/** `entry` of a row that is not a write (a removal, or only a clear). */
export const NO_WRITE = -2;

export class EventTable {
  count = 0;
  node: Int32Array;
  layer: Int32Array;
  /** Entry index in the layer's index, IMPLIED, or NO_WRITE. */
  entry: Int32Array;
  change: Uint8Array;
  flags: Uint8Array;
  /** For writes: the resolved size (a hard link's is its target's). For removals: bytes removed. */
  bytes: Float64Array;
  /** The node's previous row, or -1. */
  prev: Int32Array;
  /** For hard links: index into `dataLayer`/`dataEntry` naming the entry whose body it shares. */
  data: Int32Array;
  dataLayer: number[] = [];
  dataEntry: number[] = [];
  private cap: number;

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.node = new Int32Array(this.cap);
    this.layer = new Int32Array(this.cap);
    this.entry = new Int32Array(this.cap);
    this.change = new Uint8Array(this.cap);
    this.flags = new Uint8Array(this.cap);
    this.bytes = new Float64Array(this.cap);
    this.prev = new Int32Array(this.cap);
    this.data = new Int32Array(this.cap);
  }

  append(node: number, layer: number, prev: number): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.node[i] = node;
    this.layer[i] = layer;
    this.entry[i] = NO_WRITE;
    this.change[i] = Change.unchanged;
    this.flags[i] = 0;
    this.bytes[i] = 0;
    this.prev[i] = prev;
    this.data[i] = -1;
    return i;
  }

  /** The (layer, entry) whose body event `i` shows: its own, or a hard link target's. */
  source(i: number): [layer: number, entry: number] {
    const d = this.data[i]!;
    return d < 0 ? [this.layer[i]!, this.entry[i]!] : [this.dataLayer[d]!, this.dataEntry[d]!];
  }

  setSource(i: number, layer: number, entry: number): void {
    this.data[i] = this.dataLayer.length;
    this.dataLayer.push(layer);
    this.dataEntry.push(entry);
  }

  private grow(): void {
    const cap = Math.max(16, this.cap * 2);
    this.node = growInt32(this.node, cap, 0);
    this.layer = growInt32(this.layer, cap, 0);
    this.entry = growInt32(this.entry, cap, 0);
    this.change = growUint8(this.change, cap);
    this.flags = growUint8(this.flags, cap);
    this.bytes = growFloat64(this.bytes, cap);
    this.prev = growInt32(this.prev, cap, 0);
    this.data = growInt32(this.data, cap, 0);
    this.cap = cap;
  }

  /** Drops the room left for growth once every layer is applied (the table still grows if asked to). */
  compact(): void {
    const n = this.count;
    this.node = this.node.slice(0, n);
    this.layer = this.layer.slice(0, n);
    this.entry = this.entry.slice(0, n);
    this.change = this.change.slice(0, n);
    this.flags = this.flags.slice(0, n);
    this.bytes = this.bytes.slice(0, n);
    this.prev = this.prev.slice(0, n);
    this.data = this.data.slice(0, n);
    this.cap = n;
  }

  byteLength(): number {
    const cols = [this.node, this.layer, this.entry, this.change, this.flags, this.bytes, this.prev, this.data];
    return cols.reduce((s, a) => s + a.byteLength, 0);
  }
}
