// The final filesystems of two images joined by path: both node tables are walked together, each
// directory's children in byte order on both sides (a merge join), with an explicit stack, so a
// 222k-deep path neither recurses nor builds a path string. Results are columns of node ids; path
// strings are made only for the rows a report prints.

import { EntryKind } from '../types';
import { ROOT, type MergedImage } from '../merge';
import { IntList } from '../merge/int-list';
import { compileIgnore, type IgnoreMatcher, type IgnoreState } from './glob';
import { ImageSide, sameBytes } from './image-side';

export const PathChange = { added: 0, removed: 1, changed: 2, metadata: 3 } as const;
export type PathChange = (typeof PathChange)[keyof typeof PathChange];
export const PATH_CHANGE_NAMES = ['added', 'removed', 'changed', 'metadata'] as const;
export type PathChangeName = (typeof PATH_CHANGE_NAMES)[number];

export interface FileDiffOptions {
  /** Count a changed mtime as a metadata change (off by default: every rebuild changes them). */
  includeMtime?: boolean;
  /** Globs of paths to leave out (see glob.ts): a matching directory drops its subtree. */
  ignore?: readonly string[];
}

/** Counts are of non-directory paths; bytes are of regular files (a hard link adds nothing). */
export interface FileTotals {
  countA: number;
  countB: number;
  bytesA: number;
  bytesB: number;
  added: number;
  removed: number;
  changed: number;
  metadata: number;
  addedBytes: number;
  removedBytes: number;
  /** Bytes of the changed files, before and after. */
  changedBytesA: number;
  changedBytesB: number;
  /** Paths an ignore glob matched (a matched directory counts once). */
  ignored: number;
  /** Files of equal size compared without a content hash on one side (not claimed to differ). */
  unhashed: number;
}

export interface Rows {
  count: number;
  /** Node in A's / B's table, -1 when the path is absent on that side. */
  nodeA: Int32Array;
  nodeB: Int32Array;
  depth: Int32Array;
}

export interface FileDiff {
  sideA: ImageSide;
  sideB: ImageSide;
  /** Every differing path, parents before children, siblings by name. */
  paths: Rows & { change: Uint8Array };
  /** Every directory on either side (not ignored), in walk order, with its parent's row. */
  dirs: Rows & { parent: Int32Array };
  totals: FileTotals;
}

class RowList {
  readonly a: IntList;
  readonly b: IntList;
  readonly d: IntList;
  readonly extra: IntList;
  constructor(capacity = 256) {
    this.a = new IntList(capacity);
    this.b = new IntList(capacity);
    this.d = new IntList(capacity);
    this.extra = new IntList(capacity);
  }

  push(a: number, b: number, depth: number, extra: number): number {
    this.a.push(a);
    this.b.push(b);
    this.d.push(depth);
    this.extra.push(extra);
    return this.a.length - 1;
  }
}

export function diffFiles(mergedA: MergedImage, mergedB: MergedImage, opts: FileDiffOptions = {}): FileDiff {
  const walk = new Walk(new ImageSide(mergedA), new ImageSide(mergedB), opts);
  return walk.run();
}

/**
 * A preorder walk over pairs of nodes (x in A, y in B, either -1): a popped pair is compared and,
 * when either side is a directory, its children are joined by name and pushed in reverse, so rows
 * come out as `tar -t` lists them.
 */
class Walk {
  private readonly paths = new RowList();
  private readonly dirs = new RowList();
  private readonly matcher: IgnoreMatcher | undefined;
  private readonly t: FileTotals = {
    countA: 0, countB: 0, bytesA: 0, bytesB: 0, added: 0, removed: 0, changed: 0, metadata: 0,
    addedBytes: 0, removedBytes: 0, changedBytesA: 0, changedBytesB: 0, ignored: 0, unhashed: 0,
  };
  /** The pending pairs: node in A, node in B, depth, row of the parent directory in `dirs`. */
  private readonly stack = new RowList();
  private readonly ignoreStack: (IgnoreState | undefined)[] = [];

  constructor(private readonly A: ImageSide, private readonly B: ImageSide, private readonly opts: FileDiffOptions) {
    const m = compileIgnore(opts.ignore ?? []);
    this.matcher = m.empty ? undefined : m;
  }

  run(): FileDiff {
    const root = this.dirs.push(ROOT, ROOT, 0, -1);
    this.pushChildren(ROOT, ROOT, 0, root, this.matcher?.start);
    const s = this.stack;
    while (s.a.length > 0) {
      const ignore = this.ignoreStack.pop();
      this.visit(s.a.pop(), s.b.pop(), s.d.pop(), s.extra.pop(), ignore);
    }
    const { A, B, t } = this;
    t.countA = A.totalFiles[ROOT]! - (A.ignoredFiles?.[ROOT] ?? 0);
    t.countB = B.totalFiles[ROOT]! - (B.ignoredFiles?.[ROOT] ?? 0);
    t.bytesA = A.dirBytes(ROOT);
    t.bytesB = B.dirBytes(ROOT);
    const rows = (r: RowList): Rows => ({ count: r.a.length, nodeA: r.a.toArray(), nodeB: r.b.toArray(), depth: r.d.toArray() });
    return {
      sideA: A, sideB: B,
      paths: { ...rows(this.paths), change: Uint8Array.from(this.paths.extra.toArray()) },
      dirs: { ...rows(this.dirs), parent: this.dirs.extra.toArray() },
      totals: t,
    };
  }

  /** Join the children of a directory pair by name (either side may be -1) and push them. */
  private pushChildren(a: number, b: number, depth: number, dirRow: number, ignore: IgnoreState | undefined): void {
    const { A, B } = this;
    const ca = a >= 0 ? A.children(a) : EMPTY;
    const cb = b >= 0 ? B.children(b) : EMPTY;
    const pairs = new RowList(Math.max(4, ca.length + cb.length));
    const states: (IgnoreState | undefined)[] = [];
    let i = 0;
    let j = 0;
    while (i < ca.length || j < cb.length) {
      const cmp = i >= ca.length ? 1 : j >= cb.length ? -1 : A.nodes.compareNameWith(ca[i]!, B.nodes, cb[j]!);
      const x = cmp <= 0 ? ca[i++]! : -1;
      const y = cmp >= 0 ? cb[j++]! : -1;
      let state: IgnoreState | undefined;
      if (this.matcher && ignore) {
        state = this.matcher.step(ignore, x >= 0 ? A.nodes.name(x) : B.nodes.name(y));
        if (state.matched) { this.drop(x, y); continue; }
      }
      pairs.push(x, y, depth + 1, dirRow);
      states.push(state);
    }
    for (let k = pairs.a.length - 1; k >= 0; k--) {
      this.stack.push(pairs.a.at(k), pairs.b.at(k), depth + 1, dirRow);
      this.ignoreStack.push(states[k]);
    }
  }

  private drop(x: number, y: number): void {
    this.t.ignored++;
    if (x >= 0) this.A.dropFromTotals(x);
    if (y >= 0) this.B.dropFromTotals(y);
  }

  private visit(x: number, y: number, depth: number, parentRow: number, ignore: IgnoreState | undefined): void {
    const { A, B, t } = this;
    const kx = x >= 0 ? A.kind(x) : -1;
    const ky = y >= 0 ? B.kind(y) : -1;
    const dirA = kx === EntryKind.dir;
    const dirB = ky === EntryKind.dir;
    if (x >= 0 && y >= 0) {
      if (dirA && dirB) {
        if (!this.sameMeta(x, y)) this.paths.push(x, y, depth, PathChange.metadata);
      } else if (kx !== ky || !this.sameContent(x, y, kx as EntryKind)) {
        // A directory replaced by a file (or back) is a changed path; the directory's contents
        // are removed (or added) below it, each counted there.
        this.paths.push(x, y, depth, PathChange.changed);
        t.changed++;
        if (!dirA) t.changedBytesA += A.totalBytes[x]!;
        if (!dirB) t.changedBytesB += B.totalBytes[y]!;
      } else if (!this.sameMeta(x, y)) {
        this.paths.push(x, y, depth, PathChange.metadata);
        t.metadata++;
      }
    } else {
      this.paths.push(x, y, depth, x >= 0 ? PathChange.removed : PathChange.added);
      if (x >= 0 && !dirA) { t.removed++; t.removedBytes += A.totalBytes[x]!; }
      if (y >= 0 && !dirB) { t.added++; t.addedBytes += B.totalBytes[y]!; }
    }
    if (dirA || dirB) {
      const a = dirA ? x : -1;
      const b = dirB ? y : -1;
      const row = this.dirs.push(a, b, depth, parentRow);
      this.pushChildren(a, b, depth, row, ignore);
    }
  }

  private sameContent(x: number, y: number, kind: EntryKind): boolean {
    const { A, B } = this;
    if (kind === EntryKind.symlink || kind === EntryKind.hardlink) {
      if (!sameBytes(A.link(x), B.link(y))) return false;
    }
    if (kind !== EntryKind.file && kind !== EntryKind.hardlink) return true;
    if (A.size(x, kind) !== B.size(y, kind)) return false;
    const ha = A.hash(x);
    const hb = B.hash(y);
    if (ha && hb) return ha[0] === hb[0] && ha[1] === hb[1];
    if (A.size(x, kind) > 0) this.t.unhashed++;
    return true;
  }

  private sameMeta(x: number, y: number): boolean {
    const ma = this.A.meta(x);
    const mb = this.B.meta(y);
    return ma[0] === mb[0] && ma[1] === mb[1] && ma[2] === mb[2] && (!this.opts.includeMtime || ma[3] === mb[3]);
  }
}

const EMPTY = new Int32Array(0);
