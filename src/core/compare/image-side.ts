// One image's final filesystem read straight from the merge's columns: the kind, size, metadata,
// content hash and link target of a node's visible write, without an object per node.

import { EntryKind } from '../types';
import { FINAL, ROOT, type MergedImage } from '../merge';
import { hashOf } from '../merge/entry-compare';
import { IMPLIED_DIR_MODE } from '../merge/entry-compare';

export class ImageSide {
  private readonly present: Uint8Array;
  private readonly curWrite: Int32Array;
  readonly totalBytes: Float64Array;
  readonly totalFiles: Uint32Array;
  /** Bytes and files below each node that an ignore glob dropped; allocated on the first one. */
  ignoredBytes: Float64Array | undefined;
  ignoredFiles: Float64Array | undefined;

  constructor(readonly merged: MergedImage) {
    this.present = merged.state.present;
    this.curWrite = merged.state.curWrite;
    this.totalBytes = merged.totalBytes;
    this.totalFiles = merged.totalFiles;
  }

  get nodes() {
    return this.merged.nodes;
  }

  children(node: number): Int32Array {
    return this.merged.childrenOf(node, FINAL, 'name');
  }

  private entry(node: number): [layer: number, entry: number] {
    const w = this.curWrite[node]!;
    return [this.merged.events.layer[w]!, this.merged.events.entry[w]!];
  }

  kind(node: number): EntryKind {
    if (node === ROOT) return EntryKind.dir;
    const [l, e] = this.entry(node);
    return e < 0 ? EntryKind.dir : (this.merged.layers[l]!.kind[e]! as EntryKind);
  }

  /** A file's or hard link's bytes (a hard link shows its target's), a directory's total below. */
  size(node: number, kind: EntryKind): number {
    if (kind === EntryKind.dir) return this.dirBytes(node);
    if (kind !== EntryKind.file && kind !== EntryKind.hardlink) return 0;
    return this.merged.events.bytes[this.curWrite[node]!]!;
  }

  dirBytes(node: number): number {
    return this.totalBytes[node]! - (this.ignoredBytes?.[node] ?? 0);
  }

  /** mode (permission bits), uid, gid, mtime: implied directories have 0755 root:root, time 0. */
  meta(node: number): [mode: number, uid: number, gid: number, mtime: number] {
    if (node === ROOT) return [IMPLIED_DIR_MODE, 0, 0, 0];
    const [l, e] = this.entry(node);
    if (e < 0) return [IMPLIED_DIR_MODE, 0, 0, 0];
    const x = this.merged.layers[l]!;
    return [x.mode[e]! & 0o7777, x.uid[e]!, x.gid[e]!, x.mtime[e]!];
  }

  hash(node: number): [number, number] | undefined {
    return hashOf(this.merged.layers, this.merged.events, this.curWrite[node]!);
  }

  /** The link target's bytes as [buffer, start, end], or undefined for entries without one. */
  link(node: number): [Uint8Array, number, number] | undefined {
    const [l, e] = this.entry(node);
    if (e < 0) return undefined;
    const x = this.merged.layers[l]!;
    const id = x.link[e]!;
    if (id < 0) return undefined;
    return [x.strings.bytes, x.strings.offsets[id]!, x.strings.offsets[id + 1]!];
  }

  isPresent(node: number): boolean {
    return node === ROOT || this.present[node] === 1;
  }

  /** Take a node's bytes and files out of every directory above it (an ignore glob matched it). */
  dropFromTotals(node: number): void {
    this.ignoredBytes ??= new Float64Array(this.nodes.count);
    this.ignoredFiles ??= new Float64Array(this.nodes.count);
    const bytes = this.totalBytes[node]!;
    const files = this.totalFiles[node]!;
    for (let n = node; n >= 0; n = this.nodes.parent[n]!) {
      this.ignoredBytes[n]! += bytes;
      this.ignoredFiles[n]! += files;
    }
  }
}

export function sameBytes(a: [Uint8Array, number, number] | undefined, b: [Uint8Array, number, number] | undefined): boolean {
  if (!a || !b) return a === b;
  const len = a[2] - a[1];
  if (b[2] - b[1] !== len) return false;
  for (let i = 0; i < len; i++) if (a[0][a[1] + i] !== b[0][b[1] + i]) return false;
  return true;
}
