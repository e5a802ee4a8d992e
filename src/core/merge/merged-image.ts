// The merged filesystem of one image and the queries the UI and CLI window over. Three views:
//   final    - what a container of the image sees;
//   upTo N   - what it would see had the image stopped after layer N;
//   layerOnly N - only the paths layer N touched (and the directories leading to them).
// State as of layer N is derived from each node's short event list: a write at layer W is
// visible at N when W <= N and no whiteout/opaque at or above the path, at a layer in (W, N],
// hid it (OCI image-spec, "Representing Changes": a whiteout hides lower layers only, so a write
// in the same layer as a whiteout survives it).

import { EntryKind, type Warning } from '../types';
import type { LayerIndex } from '../index/layer-index';
import { Change, CHANGE_NAMES, CLEARS_CHILDREN, CLEARS_SELF, type ChangeName, type EventTable, NO_WRITE } from './events';
import { IntList } from './int-list';
import { ROOT, type NodeTable } from './node-table';
import { describeWrite, type WriteAttributes } from './describe';

export interface View {
  mode: 'final' | 'upTo' | 'layerOnly';
  /** Layer index within the image; ignored for 'final'. */
  layer: number;
}

export const FINAL: View = { mode: 'final', layer: -1 };

export interface MergeState {
  layers: readonly LayerIndex[];
  nodes: NodeTable;
  events: EventTable;
  /** Final visibility, and the final write of each node (or its last write before it was hidden). */
  present: Uint8Array;
  kind: Uint8Array;
  curWrite: Int32Array;
  /** Newest event of each node, -1 if none. */
  lastEvent: Int32Array;
  /** Per layer: the node of each entry (a whiteout's removed path, an opaque marker's dir). */
  entryNode: Int32Array[];
  /** Per layer: entries listed again later in the same layer (the later one wins). */
  superseded: Int32Array[];
  /** Events of layer L are rows layerEventStart[L] .. layerEventStart[L+1]. */
  layerEventStart: Int32Array;
  /** What the merge did that runtimes do differently (entries placed through symlinks, loops). */
  warnings: Warning[];
}

export interface NodeInfo extends WriteAttributes {
  id: number;
  path: string;
  name: string;
  /** Layer whose write is the one shown in this view. */
  lastLayer: number;
  /** What the view's layer did to it ('final': what `lastLayer` did); undefined if untouched. */
  change?: ChangeName;
  /** Every layer that touched the path itself, oldest first. */
  history: { layer: number; change: ChangeName; bytes: number }[];
}

export interface DirTotals {
  /** Bytes of regular files below (hard links add nothing: their target holds the bytes). */
  bytes: number;
  /** Non-directory entries below. */
  files: number;
  /** bytesByLayer[L]: bytes below whose visible copy layer L wrote. */
  bytesByLayer: number[];
}

export class MergedImage {
  readonly layers: readonly LayerIndex[];
  readonly nodes: NodeTable;
  readonly events: EventTable;
  readonly state: MergeState;
  /** Final view: bytes and non-directory count at or below each node. */
  readonly totalBytes: Float64Array;
  readonly totalFiles: Uint32Array;
  private sortedStart: Uint32Array | undefined;
  private sorted: Int32Array | undefined;
  private touchedCache = new Map<number, Uint8Array>();

  constructor(state: MergeState) {
    this.state = state;
    this.layers = state.layers;
    this.nodes = state.nodes;
    this.events = state.events;
    [this.totalBytes, this.totalFiles] = this.finalTotals();
  }

  get nodeCount(): number {
    return this.nodes.count;
  }

  /** Node id of a path (visible or not in any view), -1 if no layer ever named it. */
  findPath(path: string): number {
    return this.nodes.find(path);
  }

  path(node: number): string {
    return this.nodes.path(node);
  }

  /** The write visible at `node` in `view`, or -1. In layerOnly views: as of that layer. */
  visibleWrite(node: number, view: View): number {
    if (node === ROOT) return -2;
    if (view.mode === 'final') return this.state.present[node] ? this.state.curWrite[node]! : -1;
    return this.writeAt(node, view.layer, this.clearAbove(node, view.layer));
  }

  isVisible(node: number, view: View): boolean {
    if (view.mode === 'layerOnly') return node === ROOT || this.touched(view.layer)[node] === 1;
    return node === ROOT || this.visibleWrite(node, view) >= 0;
  }

  /** Visible children sorted by name (bytewise), or by size, largest first. */
  childrenOf(node: number, view: View, sort: 'name' | 'size' = 'name'): Int32Array {
    const [start, order] = this.sortedChildren();
    const out = new IntList(16);
    const from = start[node]!;
    const to = start[node + 1]!;
    if (view.mode === 'final') {
      for (let j = from; j < to; j++) if (this.state.present[order[j]!]) out.push(order[j]!);
    } else if (view.mode === 'layerOnly') {
      const mark = this.touched(view.layer);
      for (let j = from; j < to; j++) if (mark[order[j]!]) out.push(order[j]!);
    } else if (node === ROOT || this.visibleWrite(node, view) >= 0) {
      const above = Math.max(this.clearAbove(node, view.layer), this.clearsAt(node, view.layer, CLEARS_SELF | CLEARS_CHILDREN));
      for (let j = from; j < to; j++) if (this.writeAt(order[j]!, view.layer, above) >= 0) out.push(order[j]!);
    }
    const ids = out.toArray();
    if (sort === 'size') {
      const size = new Map<number, number>();
      for (const id of ids) size.set(id, this.sizeOf(id, view));
      ids.sort((a, b) => size.get(b)! - size.get(a)! || this.nodes.compareNames(a, b));
    }
    return ids;
  }

  /** Kind of the node's visible write in a view, or -1 when it is not visible: cheap, no objects. */
  kindIn(node: number, view: View): number {
    if (node === ROOT) return EntryKind.dir;
    const w = this.visibleWrite(node, view);
    return w >= 0 ? this.kindOf(w) : -1;
  }

  /** Size in a view: a file's bytes, or a directory's total. */
  sizeOf(node: number, view: View): number {
    // The final view's sizes are summed once (a node hidden in it has none): sorting a big
    // directory's children by size walked each child's subtree.
    if (view.mode === 'final') return this.totalBytes[node]!;
    const w = this.visibleWrite(node, view);
    if (node === ROOT || (w >= 0 && this.kindOf(w) === EntryKind.dir)) return this.dirTotals(node, view).bytes;
    if (w >= 0) return this.kindOf(w) === EntryKind.file ? this.events.bytes[w]! : 0;
    return view.mode === 'layerOnly' ? this.layerEventBytes(node, view.layer) : 0;
  }

  nodeInfo(node: number, view: View): NodeInfo | undefined {
    let w = this.visibleWrite(node, view);
    // A path a layer removed is shown, in that layer's own view, as it was before.
    if (w < 0 && view.mode === 'layerOnly' && view.layer > 0) {
      w = this.visibleWrite(node, { mode: 'upTo', layer: view.layer - 1 });
    }
    if (w === -1 || (view.mode === 'layerOnly' && !this.isVisible(node, view))) return undefined;
    const attrs = w === -2 ? rootAttributes() : describeWrite(this.layers, this.events, w);
    const history = this.history(node);
    const at = view.mode === 'final' ? (w >= 0 ? this.events.layer[w]! : -1) : view.layer;
    return {
      ...attrs,
      id: node,
      path: this.nodes.path(node),
      name: node === ROOT ? '' : this.nodes.name(node),
      lastLayer: w >= 0 ? this.events.layer[w]! : -1,
      change: history.find((h) => h.layer === at)?.change,
      history,
    };
  }

  /** What a view shows at a node, without its history or path: the cheap call for whole-tree walks. */
  attributes(node: number, view: View): (WriteAttributes & { lastLayer: number }) | undefined {
    const w = this.visibleWrite(node, view);
    if (w === -2) return { ...rootAttributes(), lastLayer: -1 };
    if (w < 0) return undefined;
    return { ...describeWrite(this.layers, this.events, w), lastLayer: this.events.layer[w]! };
  }

  /** Every event of the node, oldest first. */
  history(node: number): { layer: number; change: ChangeName; bytes: number }[] {
    const out: { layer: number; change: ChangeName; bytes: number }[] = [];
    for (let e = this.state.lastEvent[node]!; e >= 0; e = this.events.prev[e]!) {
      out.push({ layer: this.events.layer[e]!, change: CHANGE_NAMES[this.events.change[e]!]!, bytes: this.events.bytes[e]! });
    }
    return out.reverse();
  }

  /** Totals below a directory in a view (layerOnly: what that layer wrote below it). */
  dirTotals(node: number, view: View): DirTotals {
    const byLayer = new Array<number>(this.layers.length).fill(0);
    let bytes = 0;
    let files = 0;
    this.walk(node, view, (n, w) => {
      if (this.kindOf(w) === EntryKind.dir) return;
      if (view.mode === 'layerOnly' && this.events.layer[w] !== view.layer) return;
      files++;
      if (this.kindOf(w) !== EntryKind.file) return;
      const b = this.events.bytes[w]!;
      bytes += b;
      byLayer[this.events.layer[w]!]! += b;
    });
    return { bytes, files, bytesByLayer: byLayer };
  }

  /** Every visible path in the view, parents before children, siblings by name (bytewise). */
  *listAll(view: View): Generator<number> {
    const [start, order] = this.sortedChildren();
    const stack = new IntList();
    const above = new IntList();
    stack.push(ROOT);
    above.push(-1);
    const mark = view.mode === 'layerOnly' ? this.touched(view.layer) : undefined;
    while (stack.length > 0) {
      const n = stack.pop();
      let clear = above.pop();
      if (n !== ROOT) {
        if (mark ? !mark[n] : !this.visibleIn(n, view, clear)) continue;
        yield n;
      }
      if (view.mode === 'upTo') clear = Math.max(clear, this.clearsAt(n, view.layer, CLEARS_SELF | CLEARS_CHILDREN));
      for (let j = start[n + 1]! - 1; j >= start[n]!; j--) {
        stack.push(order[j]!);
        above.push(clear);
      }
    }
  }

  private visibleIn(n: number, view: View, clearAbove: number): boolean {
    if (view.mode === 'final') return this.state.present[n] === 1;
    return this.writeAt(n, view.layer, clearAbove) >= 0;
  }

  private kindOf(w: number): number {
    const e = this.events.entry[w]!;
    return e < 0 ? EntryKind.dir : this.layers[this.events.layer[w]!]!.kind[e]!;
  }

  /** Visit visible nodes at or below `node` with their visible write (layerOnly: as of that layer). */
  private walk(node: number, view: View, visit: (n: number, w: number) => void): void {
    const v: View = view.mode === 'layerOnly' ? { mode: 'upTo', layer: view.layer } : view;
    const final = v.mode === 'final';
    const stack = new IntList();
    const above = new IntList();
    stack.push(node);
    above.push(final || node === ROOT ? -1 : this.clearAbove(node, v.layer));
    while (stack.length > 0) {
      const n = stack.pop();
      let clear = above.pop();
      if (n !== ROOT) {
        const w = final ? (this.state.present[n] ? this.state.curWrite[n]! : -1) : this.writeAt(n, v.layer, clear);
        if (w < 0) continue;
        visit(n, w);
        if (!final) clear = Math.max(clear, this.clearsAt(n, v.layer, CLEARS_SELF | CLEARS_CHILDREN));
      }
      for (let c = this.nodes.firstChild[n]!; c >= 0; c = this.nodes.nextSibling[c]!) {
        stack.push(c);
        above.push(clear);
      }
    }
  }

  /** Latest write of `node` at a layer <= n that nothing at or above it hid since; -1 if none. */
  private writeAt(node: number, n: number, clearAbove: number): number {
    let ownClear = -1;
    for (let e = this.state.lastEvent[node]!; e >= 0; e = this.events.prev[e]!) {
      const l = this.events.layer[e]!;
      if (l > n) continue;
      if (ownClear < 0 && this.events.flags[e]! & CLEARS_SELF) ownClear = l;
      if (this.events.entry[e] !== NO_WRITE) return l >= Math.max(clearAbove, ownClear) ? e : -1;
    }
    return -1;
  }

  /** Latest layer <= n at which `node` had one of the clear `flags`, -1 if none. */
  private clearsAt(node: number, n: number, flags: number): number {
    for (let e = this.state.lastEvent[node]!; e >= 0; e = this.events.prev[e]!) {
      if (this.events.layer[e]! <= n && this.events.flags[e]! & flags) return this.events.layer[e]!;
    }
    return -1;
  }

  /** Latest layer <= n at which something above `node` was cleared. */
  private clearAbove(node: number, n: number): number {
    let max = -1;
    for (let a = this.nodes.parent[node]!; a > ROOT; a = this.nodes.parent[a]!) {
      max = Math.max(max, this.clearsAt(a, n, CLEARS_SELF | CLEARS_CHILDREN));
    }
    return max;
  }

  private layerEventBytes(node: number, layer: number): number {
    for (let e = this.state.lastEvent[node]!; e >= 0; e = this.events.prev[e]!) {
      if (this.events.layer[e] === layer) return this.events.bytes[e]!;
    }
    return 0;
  }

  /** Nodes with an event in `layer`, and their ancestors: the tree of a layerOnly view. */
  touched(layer: number): Uint8Array {
    let mark = this.touchedCache.get(layer);
    if (mark) return mark;
    mark = new Uint8Array(this.nodes.count);
    const start = this.state.layerEventStart;
    for (let e = start[layer]!; e < start[layer + 1]!; e++) {
      for (let n = this.events.node[e]!; n > ROOT && !mark[n]; n = this.nodes.parent[n]!) mark[n] = 1;
    }
    this.touchedCache.set(layer, mark);
    return mark;
  }

  /** Children of every node grouped by parent and sorted by name, built once on first use. */
  private sortedChildren(): [Uint32Array, Int32Array] {
    if (this.sortedStart && this.sorted) return [this.sortedStart, this.sorted];
    const count = this.nodes.count;
    const parent = this.nodes.parent;
    const start = new Uint32Array(count + 1);
    for (let n = 1; n < count; n++) start[parent[n]! + 1]!++;
    for (let n = 0; n < count; n++) start[n + 1]! += start[n]!;
    const fill = start.slice(0, count);
    const order = new Int32Array(Math.max(0, count - 1));
    for (let n = 1; n < count; n++) order[fill[parent[n]!]!++] = n;
    const cmp = (a: number, b: number) => this.nodes.compareNames(a, b);
    for (let n = 0; n < count; n++) {
      if (start[n + 1]! - start[n]! > 1) order.subarray(start[n]!, start[n + 1]!).sort(cmp);
    }
    this.sortedStart = start;
    this.sorted = order;
    return [start, order];
  }

  private finalTotals(): [Float64Array, Uint32Array] {
    const count = this.nodes.count;
    const bytes = new Float64Array(count);
    const files = new Uint32Array(count);
    const { present, kind, curWrite } = this.state;
    // Parents are created before their children, so a reverse sweep sums bottom-up.
    for (let n = count - 1; n > ROOT; n--) {
      if (!present[n]) continue;
      if (kind[n] !== EntryKind.dir) {
        files[n]! += 1;
        if (kind[n] === EntryKind.file) bytes[n]! += this.events.bytes[curWrite[n]!]!;
      }
      const p = this.nodes.parent[n]!;
      bytes[p]! += bytes[n]!;
      files[p]! += files[n]!;
    }
    return [bytes, files];
  }

  /** Change counts and removed bytes of one layer. */
  changeCounts(layer: number): Record<ChangeName, number> & { removedBytes: number } {
    const counts = { added: 0, modified: 0, meta: 0, unchanged: 0, removed: 0, removedBytes: 0 };
    const start = this.state.layerEventStart;
    for (let e = start[layer]!; e < start[layer + 1]!; e++) {
      const c = this.events.change[e]!;
      counts[CHANGE_NAMES[c]!]++;
      if (c === Change.removed) counts.removedBytes += this.events.bytes[e]!;
    }
    return counts;
  }
}

function rootAttributes(): WriteAttributes {
  return { kind: EntryKind.dir, size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0 };
}
