// Windows of the filesystem tree for a virtualised list: the expanded tree flattened into rows of
// node ids once per (view, expansion, filter, sort), then only the requested window is described.
// A 1M-entry image never crosses to the page: scrolling asks for rows 200-260 of the flat list.

import { EntryKind, KIND_LETTER } from '../types';
import { ROOT, type MergedImage, type View } from '../merge';
import type { ChangeName, NodeDetails, TreeFilter, TreeRow, TreeRowsRequest, TreeRowsResponse } from './types';

interface Flat { ids: Int32Array; depth: Uint16Array; count: number; removedIds: Set<number>; opened: string[] }

/**
 * "This layer" opens the directories on the way to its changes when it changes at most this many
 * paths: a few screens of rows, and a list of opened directories small enough to hand the page.
 */
export const OPEN_CHANGES_LIMIT = 400;

const ALL_SHOWN = (f: TreeFilter) => f.show.added && f.show.modified && f.show.meta && f.show.removed && f.show.unchanged;

export class TreeWindows {
  private cacheKey = '';
  private flat: Flat | undefined;
  private sizeCache = new Map<string, Map<number, number>>();
  private paths: string[] | undefined;

  constructor(private readonly merged: MergedImage) {}

  rows(req: TreeRowsRequest): TreeRowsResponse {
    const view = toView(req.view, this.merged.layers.length);
    const key = JSON.stringify([req.view, req.expanded, req.expandAll, req.openChanges ?? false, req.filter, req.sort]);
    if (key !== this.cacheKey || !this.flat) {
      this.flat = this.flatten(view, req);
      this.cacheKey = key;
    }
    const flat = this.flat;
    const expanded = new Set([...req.expanded, ...flat.opened]);
    const offset = Math.max(0, Math.min(req.offset, flat.count));
    const end = Math.min(flat.count, offset + Math.max(0, Math.min(req.limit, 2000)));
    const rows: TreeRow[] = [];
    for (let i = offset; i < end; i++) {
      const id = flat.ids[i]!;
      rows.push(this.describe(id, flat.depth[i]!, view, flat.removedIds.has(id), req, expanded));
    }
    return { total: flat.count, offset, rows, ...(flat.opened.length > 0 ? { opened: flat.opened } : {}) };
  }

  /** Row index of `path` in the flat list the request describes, or -1 when it is not shown. */
  rowOf(req: TreeRowsRequest, path: string): number {
    this.rows({ ...req, offset: 0, limit: 0 });
    const node = this.merged.findPath(path);
    if (node < 0 || !this.flat) return -1;
    return this.flat.ids.indexOf(node);
  }

  /** `path` is bare (`etc/passwd`), as every path in the protocol. */
  details(viewIn: TreeRowsRequest['view'], path: string): NodeDetails | undefined {
    const m = this.merged;
    const view = toView(viewIn, m.layers.length);
    const node = m.findPath(path);
    if (node < 0) return undefined;
    const info = m.nodeInfo(node, view) ?? m.nodeInfo(node, { mode: 'layerOnly', layer: view.layer < 0 ? m.layers.length - 1 : view.layer });
    const history = m.history(node).map((h) => ({ layer: h.layer, change: h.change, size: h.bytes }));
    if (!info) return { path, type: '?', size: 0, mode: 0, uid: 0, gid: 0, history };
    const isDir = info.kind === EntryKind.dir;
    return {
      path: info.path,
      type: KIND_LETTER[info.kind],
      size: isDir ? this.sizeOf(node, view) : info.size,
      mode: info.mode,
      uid: info.uid,
      gid: info.gid,
      ...(info.link !== undefined ? { linkTarget: info.link } : {}),
      ...(info.hash ? { hash: info.hash } : {}),
      history,
      ...(isDir ? { totals: m.dirTotals(node, view) } : {}),
    };
  }

  private describe(id: number, depth: number, view: View, removed: boolean, req: TreeRowsRequest, expanded: Set<string>): TreeRow {
    const m = this.merged;
    const before: View = { mode: 'upTo', layer: Math.max(0, view.layer - 1) };
    const info = (removed ? m.nodeInfo(id, before) : m.nodeInfo(id, view)) ?? m.nodeInfo(id, before);
    const path = m.path(id);
    const kind = info?.kind ?? EntryKind.file;
    const isDir = kind === EntryKind.dir;
    const hasChildren = isDir && !removed && m.childrenOf(id, view).length > 0;
    return {
      path,
      name: path.slice(path.lastIndexOf('/') + 1),
      depth,
      type: KIND_LETTER[kind],
      size: removed ? (isDir ? m.sizeOf(id, before) : info?.size ?? 0) : isDir ? this.sizeOf(id, view) : info?.size ?? 0,
      mode: info?.mode ?? 0,
      change: removed ? 'removed' : this.changeOf(id, view),
      layer: info?.lastLayer ?? -1,
      hasChildren,
      expanded: hasChildren && (req.expandAll ? !expanded.has(path) : expanded.has(path)),
      ...(info?.link !== undefined && kind !== EntryKind.dir ? { linkTarget: info.link } : {}),
    };
  }

  /** What the view's layer did to the node (final: the image's last layer); unchanged if nothing. */
  private changeOf(id: number, view: View): ChangeName {
    const layer = view.mode === 'final' ? this.merged.layers.length - 1 : view.layer;
    let change: ChangeName = 'unchanged';
    for (const h of this.merged.history(id)) if (h.layer === layer) change = h.change;
    return change;
  }

  private sizeOf(id: number, view: View): number {
    if (view.mode === 'final') return this.merged.totalBytes[id]!;
    const key = `${view.mode}:${view.layer}`;
    let cache = this.sizeCache.get(key);
    if (!cache) { cache = new Map(); this.sizeCache.set(key, cache); }
    let size = cache.get(id);
    if (size === undefined) { size = this.merged.sizeOf(id, view); cache.set(id, size); }
    return size;
  }

  /** Children in the view, plus (cumulative views) what the view's layer removed, shown as removed. */
  private children(node: number, view: View, sort: 'name' | 'size'): { ids: Int32Array; removed: Int32Array } {
    const m = this.merged;
    const ids = m.childrenOf(node, view, sort);
    if (view.mode !== 'upTo' || view.layer === 0) return { ids, removed: new Int32Array(0) };
    const gone: number[] = [];
    for (const c of m.childrenOf(node, { mode: 'layerOnly', layer: view.layer })) {
      if (m.isVisible(c, view)) continue;
      if (m.history(c).some((h) => h.layer === view.layer && h.change === 'removed')) gone.push(c);
    }
    return { ids, removed: Int32Array.from(gone) };
  }

  private flatten(view: View, req: TreeRowsRequest): Flat {
    const m = this.merged;
    const filtering = req.filter.text !== '' || req.filter.minSize > 0 || !ALL_SHOWN(req.filter);
    const keep = filtering ? this.matches(view, req) : undefined;
    let ids = new Int32Array(1024);
    let depth = new Uint16Array(1024);
    let count = 0;
    const removedIds = new Set<number>();
    const push = (id: number, d: number) => {
      if (count === ids.length) {
        const ni = new Int32Array(ids.length * 2); ni.set(ids); ids = ni;
        const nd = new Uint16Array(depth.length * 2); nd.set(depth); depth = nd;
      }
      ids[count] = id; depth[count] = d; count++;
    };
    // Expansion is named by path; compare node ids, so no path string is built per row.
    const listed = new Set<number>();
    for (const p of req.expanded) {
      const n = m.findPath(p);
      if (n >= 0) listed.add(n);
    }
    const changeDirs = req.openChanges && !req.expandAll && !keep && view.mode === 'layerOnly' ? this.changeDirs(view.layer) : [];
    const opened: string[] = [];
    for (const n of changeDirs) {
      if (listed.has(n)) continue;
      listed.add(n);
      opened.push(m.path(n));
    }
    const open = (id: number) => {
      if (keep) return true; // a filter shows every match with the directories leading to it
      return req.expandAll ? !listed.has(id) : listed.has(id);
    };
    // Depth-first with an explicit stack: a deep tree must not overflow the call stack.
    const stack: { ids: ArrayLike<number>; i: number; depth: number }[] = [];
    const listOf = (node: number): ArrayLike<number> => {
      const { ids: kids, removed } = this.children(node, view, req.sort);
      for (const r of removed) removedIds.add(r);
      if (!keep) return removed.length === 0 ? kids : [...kids, ...removed];
      const out: number[] = [];
      for (const c of kids) if (keep[c] === 1) out.push(c);
      for (const c of removed) if (keep[c] === 1) out.push(c);
      return out;
    };
    stack.push({ ids: listOf(ROOT), i: 0, depth: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.ids.length) { stack.pop(); continue; }
      const id = top.ids[top.i++]!;
      push(id, top.depth);
      if (!removedIds.has(id) && open(id) && m.kindIn(id, view) === EntryKind.dir) {
        stack.push({ ids: listOf(id), i: 0, depth: top.depth + 1 });
      }
    }
    return { ids: ids.subarray(0, count), depth: depth.subarray(0, count), count, removedIds, opened };
  }

  /**
   * The directories on the way to every path `layer` changes (its events: writes, whiteouts), in
   * tree order, or none when it changes more than OPEN_CHANGES_LIMIT paths. Counted from the layer's
   * event range, so a 200k-file layer costs nothing here.
   */
  private changeDirs(layer: number): number[] {
    const m = this.merged;
    const start = m.state.layerEventStart;
    const from = start[layer]!;
    const to = start[layer + 1]!;
    if (to - from > OPEN_CHANGES_LIMIT) return [];
    const dirs = new Set<number>();
    for (let e = from; e < to; e++) {
      for (let n = m.nodes.parent[m.events.node[e]!]!; n > ROOT && !dirs.has(n); n = m.nodes.parent[n]!) dirs.add(n);
    }
    // Parents are created before their children: ascending ids put a parent before its children.
    return [...dirs].sort((a, b) => a - b);
  }

  /**
   * Every node's full path ('/usr/bin/env'), by node id, built once per image: typing a filter then
   * tests strings instead of decoding names (200k entries: ~350 ms per keystroke before).
   */
  private allPaths(): string[] {
    if (this.paths) return this.paths;
    const m = this.merged;
    const out = new Array<string>(m.nodeCount);
    out[ROOT] = '';
    // Parents are created before their children, so a parent's path is always ready.
    for (let n = 1; n < m.nodeCount; n++) out[n] = `${out[m.nodes.parent[n]!]}/${m.nodes.name(n)}`;
    this.paths = out;
    return out;
  }

  /** Nodes matching the filter, with their ancestors: 1 per node id kept. */
  private matches(view: View, req: TreeRowsRequest): Uint8Array {
    const m = this.merged;
    const f = req.filter;
    let test: (p: string) => boolean = () => true;
    if (f.text) {
      let re: RegExp;
      // A substring is matched case-insensitively; a regular expression as written.
      try { re = f.regex ? new RegExp(f.text) : new RegExp(f.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'); } catch { re = /$^/; }
      test = (p) => re.test(p);
    }
    // A mark per node, not a Set: a broad filter ('i') keeps most of a 1M-entry image.
    const keep = new Uint8Array(m.nodeCount);
    const parent = m.nodes.parent;
    const mark = (id: number) => {
      for (let n = id; n > ROOT && keep[n] === 0; n = parent[n]!) keep[n] = 1;
    };
    const allKinds = ALL_SHOWN(f);
    // A plain ASCII needle without '/' lies within one component of a path: a node matches when
    // its name or an ancestor's holds it, tested on the name bytes. Anything else (a regular
    // expression, a '/', other letters) is tested on full paths, built once per image.
    const byName = f.text && !f.regex ? namesHolding(m, f.text) : undefined;
    const paths = f.text && !byName ? this.allPaths() : [];
    const textHit = (id: number) => (byName ? byName[id] === 1 : test(paths[id]!));
    if (view.mode === 'final' && allKinds && f.minSize === 0 && f.text) {
      // The common case (a text filter on the final image), one pass over the node columns: the
      // final filesystem is `present`, and which nodes match does not depend on the walk's order.
      const present = m.state.present;
      for (let id = 1; id < m.nodeCount; id++) if (present[id] === 1 && textHit(id)) mark(id);
      return keep;
    }
    // Cheapest tests first: a 1M-entry image runs this loop once per filter change.
    for (const id of m.listAll(view)) {
      const kind = m.kindIn(id, view);
      if (kind < 0) {
        // Not in the view's filesystem: in "This layer", a path the layer removes (its whiteout), a
        // change like any other, found by its path when Removed is shown.
        if (view.mode === 'layerOnly' && f.show.removed && f.minSize === 0 && this.changeOf(id, view) === 'removed' && (!f.text || textHit(id))) mark(id);
        continue;
      }
      if (kind === EntryKind.dir && (f.minSize > 0 || f.text === '')) continue;
      // A file's or hard link's bytes (directories are skipped above), read without an object.
      if (f.minSize > 0 && (kind === EntryKind.file || kind === EntryKind.hardlink ? m.events.bytes[m.visibleWrite(id, view)]! : 0) < f.minSize) continue;
      if (!allKinds && !f.show[this.changeOf(id, view)]) continue;
      if (f.text && !textHit(id)) continue;
      mark(id);
    }
    if (f.show.removed && view.mode === 'upTo' && view.layer > 0) {
      for (const id of m.listAll({ mode: 'layerOnly', layer: view.layer })) {
        if (m.isVisible(id, view)) continue;
        if (!m.history(id).some((h) => h.layer === view.layer && h.change === 'removed')) continue;
        if (f.text && !textHit(id)) continue;
        mark(m.nodes.parent[id]!);
        keep[id] = 1;
      }
    }
    return keep;
  }
}

/**
 * For a plain-text filter that is ASCII and has no '/': 1 for every node whose path holds it
 * (ignoring ASCII case), from the name bytes; undefined when the needle needs full paths.
 */
function namesHolding(m: MergedImage, text: string): Uint8Array | undefined {
  if (text.includes('/') || !/^[\x00-\x7f]*$/.test(text)) return undefined;
  const needle = Uint8Array.from(text.toLowerCase(), (c) => c.charCodeAt(0));
  const hit = new Uint8Array(m.nodeCount);
  const parent = m.nodes.parent;
  // Parents are created before their children, so a parent's answer is always ready.
  for (let n = 1; n < m.nodeCount; n++) hit[n] = hit[parent[n]!] === 1 || m.nodes.nameContains(n, needle) ? 1 : 0;
  return hit;
}

/** The view with its layer clamped to the image ('final' names the top layer). */
function toView(v: View, layerCount: number): View {
  if (v.mode === 'final') return { mode: 'final', layer: layerCount - 1 };
  return { mode: v.mode, layer: Math.max(0, Math.min(layerCount - 1, v.layer)) };
}
