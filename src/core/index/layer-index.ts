// The columnar index of one layer's tar entries: typed arrays and one string table, never one
// JS object per entry. Built in a worker, transferred to the page (see `transferablesOf`).
// Each numeric column is stored in the narrowest array that holds every value of this layer
// (sizes, offsets and times as Uint32 unless one needs a Float64; modes and ids as Uint16 unless
// one is larger), and `stored` is the `size` array itself unless a sparse file makes them differ:
// 35 bytes an entry instead of 61 for a typical layer, kept by the engine for every layer shown.

import { EntryKind } from '../types';
import { getString, StringTableBuilder, type StringTableData } from './string-table';

export interface LayerIndex {
  count: number;
  /** String table holding paths and link targets. */
  strings: StringTableData;
  /** String id of the entry's path: normalised, relative, no trailing slash (`usr/bin/env`). */
  path: Uint32Array;
  /** String id of a symlink's or hard link's target, or -1. Hard link targets are normalised paths. */
  link: Int32Array;
  kind: Uint8Array;
  mode: IdColumn;
  uid: IdColumn;
  gid: IdColumn;
  /** Logical size in bytes (a sparse file's apparent size). 0 for non-files. */
  size: NumberColumn;
  /** Bytes the entry's body occupies in the tar (differs from size for sparse files; else the same array). */
  stored: NumberColumn;
  /** Modification time, seconds since the epoch. */
  mtime: NumberColumn;
  /** xxh64 of the file body as two 32-bit halves (hi at 2i, lo at 2i+1); 0,0 when not hashed. */
  hash: Uint32Array;
  /** Byte offset of the entry's first header block in the uncompressed layer tar. */
  offset: NumberColumn;
}

/** Read-only numbers of a layer: Uint32 when every value is an integer in [0, 2^32), else Float64. */
export type NumberColumn = Float64Array | Uint32Array;
/** Modes, uids and gids: Uint16 when every value fits, else Uint32. */
export type IdColumn = Uint32Array | Uint16Array;

export interface EntryInput {
  path: string;
  kind: EntryKind;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  stored?: number;
  mtime: number;
  link?: string;
  offset?: number;
}

export class LayerIndexBuilder {
  private strings = new StringTableBuilder();
  private cap = 1024;
  count = 0;
  private cols = allocate(this.cap);

  add(entry: EntryInput): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    const c = this.cols;
    c.path[i] = this.strings.add(entry.path);
    c.link[i] = entry.link === undefined ? -1 : this.strings.add(entry.link);
    c.kind[i] = entry.kind;
    c.mode[i] = entry.mode;
    c.uid[i] = entry.uid;
    c.gid[i] = entry.gid;
    c.size[i] = entry.size;
    c.stored[i] = entry.stored ?? entry.size;
    c.mtime[i] = entry.mtime;
    c.offset[i] = entry.offset ?? 0;
    return i;
  }

  /** Record the content hash of entry `i` (set once its body has streamed by). */
  setHash(i: number, hi: number, lo: number): void {
    this.cols.hash[2 * i] = hi >>> 0;
    this.cols.hash[2 * i + 1] = lo >>> 0;
  }

  private grow(): void {
    const next = allocate(this.cap * 2);
    for (const key of Object.keys(next) as (keyof Columns)[]) {
      (next[key] as { set(a: ArrayLike<number>): void }).set(this.cols[key]);
    }
    this.cols = next;
    this.cap *= 2;
  }

  finish(): LayerIndex {
    const n = this.count;
    const c = this.cols;
    const size = narrowNumbers(c.size, n);
    return {
      count: n,
      strings: this.strings.finish(),
      path: c.path.slice(0, n),
      link: c.link.slice(0, n),
      kind: c.kind.slice(0, n),
      mode: narrowIds(c.mode, n),
      uid: narrowIds(c.uid, n),
      gid: narrowIds(c.gid, n),
      size,
      stored: sameValues(c.stored, c.size, n) ? size : narrowNumbers(c.stored, n),
      mtime: narrowNumbers(c.mtime, n),
      hash: c.hash.slice(0, 2 * n),
      offset: narrowNumbers(c.offset, n),
    };
  }
}

type Columns = ReturnType<typeof allocate>;

/** The first `n` values in a Uint32Array when each is an integer in [0, 2^32), else a Float64Array. */
function narrowNumbers(a: Float64Array, n: number): NumberColumn {
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v <= 0xffffffff && Math.floor(v) === v)) return a.slice(0, n);
  }
  return Uint32Array.from(a.subarray(0, n));
}

/** The first `n` values in a Uint16Array when each is below 2^16, else a Uint32Array. */
function narrowIds(a: Uint32Array, n: number): IdColumn {
  for (let i = 0; i < n; i++) if (a[i]! > 0xffff) return a.slice(0, n);
  return Uint16Array.from(a.subarray(0, n));
}

function sameValues(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function allocate(n: number) {
  return {
    path: new Uint32Array(n),
    link: new Int32Array(n),
    kind: new Uint8Array(n),
    mode: new Uint32Array(n),
    uid: new Uint32Array(n),
    gid: new Uint32Array(n),
    size: new Float64Array(n),
    stored: new Float64Array(n),
    mtime: new Float64Array(n),
    hash: new Uint32Array(2 * n),
    offset: new Float64Array(n),
  };
}

export function entryPath(index: LayerIndex, i: number): string {
  return getString(index.strings, index.path[i]!);
}

export function entryLink(index: LayerIndex, i: number): string | undefined {
  const id = index.link[i]!;
  return id < 0 ? undefined : getString(index.strings, id);
}

/**
 * The buffers to list in postMessage's transfer list: the index moves, it is not copied. Each
 * once (postMessage refuses a buffer listed twice): `stored` is often `size` itself.
 */
export function transferablesOf(index: LayerIndex): ArrayBuffer[] {
  return [...new Set([
    index.strings.bytes, index.strings.offsets, index.path, index.link, index.kind, index.mode,
    index.uid, index.gid, index.size, index.stored, index.mtime, index.hash, index.offset,
  ].map((a) => a.buffer as ArrayBuffer))];
}

/** Count of entries that are user-visible files (not whiteout markers). */
export function countFiles(index: LayerIndex): number {
  let n = 0;
  for (let i = 0; i < index.count; i++) {
    const k = index.kind[i]!;
    if (k !== EntryKind.whiteout && k !== EntryKind.opaque && k !== EntryKind.dir) n++;
  }
  return n;
}
