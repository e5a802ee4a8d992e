// The columnar index of one layer's tar entries: typed arrays and one string table, never one
// JS object per entry. Built in a worker, transferred to the page (see `transferablesOf`).

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
  mode: Uint32Array;
  uid: Uint32Array;
  gid: Uint32Array;
  /** Logical size in bytes (a sparse file's apparent size). 0 for non-files. */
  size: Float64Array;
  /** Bytes the entry's body occupies in the tar (differs from size for sparse files). */
  stored: Float64Array;
  /** Modification time, seconds since the epoch. */
  mtime: Float64Array;
  /** xxh64 of the file body as two 32-bit halves (hi at 2i, lo at 2i+1); 0,0 when not hashed. */
  hash: Uint32Array;
  /** Byte offset of the entry's first header block in the uncompressed layer tar. */
  offset: Float64Array;
}

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
    return {
      count: n,
      strings: this.strings.finish(),
      path: c.path.slice(0, n),
      link: c.link.slice(0, n),
      kind: c.kind.slice(0, n),
      mode: c.mode.slice(0, n),
      uid: c.uid.slice(0, n),
      gid: c.gid.slice(0, n),
      size: c.size.slice(0, n),
      stored: c.stored.slice(0, n),
      mtime: c.mtime.slice(0, n),
      hash: c.hash.slice(0, 2 * n),
      offset: c.offset.slice(0, n),
    };
  }
}

type Columns = ReturnType<typeof allocate>;

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

/** The buffers to list in postMessage's transfer list: the index moves, it is not copied. */
export function transferablesOf(index: LayerIndex): ArrayBuffer[] {
  return [
    index.strings.bytes, index.strings.offsets, index.path, index.link, index.kind, index.mode,
    index.uid, index.gid, index.size, index.stored, index.mtime, index.hash, index.offset,
  ].map((a) => a.buffer as ArrayBuffer);
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
