// dive's image efficiency figures, computed with dive's own definitions (wagoodman/dive,
// filetree/efficiency.go, image analysis and JSON export) so CI gates written against dive keep
// their meaning. Those definitions, which differ from a runtime's view of the image:
//  - each layer is a tree of its tar entries plus their parent directories; only its leaves are
//    counted, each under its path (a whiteout `.wh.x` under the path of x);
//  - a leaf counts its tar header size; a whiteout counts 0 if it removed a file, and if it removed
//    a directory, the sizes of everything under it in the lower layers stacked dive's way (a
//    whiteout removes a subtree, an entry or an implied parent replaces a node's info, opaque
//    markers are ignored);
//  - per path: the smallest size seen and the sum of all sizes seen; efficiency = sum of smallest
//    / sum of sums (1 when nothing was seen); a path seen in 2+ layers is inefficient, with all its
//    copies counted; inefficient bytes = the sum over those paths;
//  - a layer's size is the sum of the header sizes of all its tar entries; user size excludes the
//    base layer; user wasted percent = inefficient bytes / user size.
// Unlike dive we never re-stack the lower layers for each whiteout: a shadow of dive's stacked
// tree is kept over the merged node ids, and a whiteout sums only the subtree it removes.

import { EntryKind } from '../types';
import { diveCommand } from '../image/config';
import { ROOT, type MergedImage } from '../merge';
import { IntList } from '../merge/int-list';
import { DiveRows, sortDiveRows } from './dive-order';

export interface DiveFileReference {
  count: number;
  sizeBytes: number;
  /** Path with a leading '/', as dive prints it. */
  file: string;
}

export interface DiveLayer {
  index: number;
  sizeBytes: number;
  command: string;
}

/** dive's five headline figures for one image, with dive's definitions. */
export interface DiveSummary {
  sizeBytes: number;
  userSizeBytes: number;
  inefficientBytes: number;
  efficiencyScore: number;
  userWastedPercent: number;
}

/** The five figures on their own, the one copy the page and the report both show. */
export function diveSummary(d: DiveSummary): DiveSummary {
  return {
    sizeBytes: d.sizeBytes, userSizeBytes: d.userSizeBytes, inefficientBytes: d.inefficientBytes,
    efficiencyScore: d.efficiencyScore, userWastedPercent: d.userWastedPercent,
  };
}

export interface DiveAnalysis extends DiveSummary {
  /** Inefficient paths, largest cumulative size first (dive's `image.fileReference`). */
  fileReference: DiveFileReference[];
  layers: DiveLayer[];
}

export function diveAnalysis(merged: MergedImage, commands: readonly string[] = []): DiveAnalysis {
  const run = new DiveRun(merged);
  for (let l = 0; l < merged.layers.length; l++) run.layer(l);
  const layers = merged.layers.map((x, index) => {
    let sizeBytes = 0;
    for (let i = 0; i < x.count; i++) sizeBytes += x.size[i]!;
    return { index, sizeBytes, command: diveCommand(commands[index] ?? '') };
  });
  const sizeBytes = layers.reduce((s, l) => s + l.sizeBytes, 0);
  const userSizeBytes = sizeBytes - (layers[0]?.sizeBytes ?? 0);
  const rows = run.inefficient;
  const fileReference = sortDiveRows(rows, run.cum, merged.nodes).map((r) => {
    const n = rows.node[r]!;
    return { count: run.count[n]!, sizeBytes: run.cum[n]!, file: `/${merged.path(n)}` };
  });
  const inefficientBytes = fileReference.reduce((s, r) => s + r.sizeBytes, 0);
  return {
    sizeBytes,
    userSizeBytes,
    inefficientBytes,
    efficiencyScore: run.score(),
    userWastedPercent: inefficientBytes / userSizeBytes,
    fileReference,
    layers,
  };
}

/** The paths of a layer's tar entries as dive lists them (whiteouts as `.wh.` names, no opaque markers). */
export function diveFileList(merged: MergedImage, layer: number): string[] {
  const x = merged.layers[layer]!;
  const nodes = merged.state.entryNode[layer]!;
  const seen = new Set<string>();
  for (let i = 0; i < x.count; i++) {
    const n = nodes[i]!;
    const k = x.kind[i]!;
    if (n === ROOT || k === EntryKind.opaque) continue;
    const path = merged.path(n);
    if (k !== EntryKind.whiteout) seen.add(path);
    else {
      const slash = path.lastIndexOf('/');
      seen.add(`${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`);
    }
  }
  return [...seen];
}

class DiveRun {
  readonly cum: Float64Array;
  readonly count: Uint32Array;
  /** Paths in the order they became inefficient (dive appends at the second sighting). */
  readonly inefficient = new DiveRows();
  private readonly min: Float64Array;
  // dive's stacked tree, as a shadow over the merged node ids.
  private readonly dvPresent: Uint8Array;
  private readonly dvDir: Uint8Array;
  private readonly dvSize: Float64Array;
  // Per-layer stamps: in this layer's tree, has a child in it, its last entry, whiteout seen.
  private readonly inTree: Int32Array;
  private readonly hasChild: Int32Array;
  private readonly entryOf: Int32Array;
  private readonly whSeen: Int32Array;
  private readonly treeNodes = new IntList();
  private readonly stack = new IntList();

  constructor(private readonly merged: MergedImage) {
    const n = merged.nodeCount;
    this.cum = new Float64Array(n);
    this.count = new Uint32Array(n);
    this.min = new Float64Array(n);
    this.dvPresent = new Uint8Array(n);
    this.dvDir = new Uint8Array(n);
    this.dvSize = new Float64Array(n);
    this.inTree = new Int32Array(n).fill(-1);
    this.hasChild = new Int32Array(n).fill(-1);
    this.entryOf = new Int32Array(n);
    this.whSeen = new Int32Array(n).fill(-1);
  }

  layer(l: number): void {
    const x = this.merged.layers[l]!;
    const nodeOf = this.merged.state.entryNode[l]!;
    const parent = this.merged.nodes.parent;
    const whiteouts = new IntList(16);
    this.treeNodes.clear();
    for (let i = 0; i < x.count; i++) {
      const n = nodeOf[i]!;
      if (n === ROOT) continue;
      const k = x.kind[i]!;
      if (k === EntryKind.whiteout) {
        whiteouts.push(i);
      } else {
        this.addToTree(n, l);
        if (k !== EntryKind.opaque) this.entryOf[n] = i;
      }
      this.markAncestors(parent[n]!, l);
    }
    // Whiteouts are sized against the stack of the layers below, before this one is applied.
    for (let j = 0; j < whiteouts.length; j++) {
      const n = nodeOf[whiteouts.at(j)]!;
      if (this.whSeen[n] === l) continue;
      this.whSeen[n] = l;
      const size = this.dvPresent[n] && this.dvDir[n] ? this.subtreeSize(n) : 0;
      if (this.see(n, size)) this.inefficient.push(n, l, true);
    }
    for (let j = 0; j < this.treeNodes.length; j++) {
      const n = this.treeNodes.at(j);
      if (this.hasChild[n] === l) continue;
      const e = this.entryOf[n]!;
      if (this.see(n, e >= 0 ? x.size[e]! : 0)) this.inefficient.push(n, l, false);
    }
    this.stack_(l, whiteouts);
  }

  private addToTree(n: number, l: number): void {
    if (this.inTree[n] === l) return;
    this.inTree[n] = l;
    // dive gives a node it had to create on the way an empty FileInfo (size 0, not a dir).
    this.entryOf[n] = -1;
    this.treeNodes.push(n);
  }

  private markAncestors(p: number, l: number): void {
    const parent = this.merged.nodes.parent;
    for (; p > ROOT && this.hasChild[p] !== l; p = parent[p]!) {
      this.hasChild[p] = l;
      this.addToTree(p, l);
    }
  }

  /** Record one sighting; true when it makes the path inefficient (its second sighting). */
  private see(n: number, size: number): boolean {
    this.min[n] = this.count[n] === 0 ? size : Math.min(this.min[n]!, size);
    this.cum[n]! += size;
    return ++this.count[n]! === 2;
  }

  /** Apply layer l to the shadow of dive's stacked tree, in the order dive grafts it. */
  private stack_(l: number, whiteouts: IntList): void {
    const x = this.merged.layers[l]!;
    const nodeOf = this.merged.state.entryNode[l]!;
    // dive grafts a layer's nodes children first, siblings by name: `.wh.x` is applied before `x`
    // unless x sorts before its own whiteout name (x starting with a byte below '.').
    const late = (i: number) => {
      const name = this.merged.nodes.name(nodeOf[i]!);
      return name < `.wh.${name}`;
    };
    for (let j = 0; j < whiteouts.length; j++) if (!late(whiteouts.at(j))) this.dvRemove(nodeOf[whiteouts.at(j)]!);
    for (let j = 0; j < this.treeNodes.length; j++) {
      const n = this.treeNodes.at(j);
      const e = this.entryOf[n]!;
      this.dvPresent[n] = 1;
      this.dvDir[n] = e >= 0 && x.kind[e] === EntryKind.dir ? 1 : 0;
      this.dvSize[n] = e >= 0 ? x.size[e]! : 0;
    }
    for (let j = 0; j < whiteouts.length; j++) if (late(whiteouts.at(j))) this.dvRemove(nodeOf[whiteouts.at(j)]!);
  }

  private dvRemove(root: number): void {
    this.walkPresent(root, (n) => { this.dvPresent[n] = 0; });
  }

  private subtreeSize(root: number): number {
    let sum = 0;
    this.walkPresent(root, (n) => { sum += this.dvSize[n]!; });
    return sum;
  }

  private walkPresent(root: number, visit: (n: number) => void): void {
    const { firstChild, nextSibling } = this.merged.nodes;
    const stack = this.stack;
    stack.clear();
    stack.push(root);
    while (stack.length > 0) {
      const n = stack.pop();
      if (!this.dvPresent[n]) continue;
      for (let c = firstChild[n]!; c >= 0; c = nextSibling[c]!) stack.push(c);
      visit(n);
    }
  }

  score(): number {
    let minSum = 0;
    let cumSum = 0;
    for (let n = 0; n < this.count.length; n++) {
      if (this.count[n] === 0) continue;
      minSum += this.min[n]!;
      cumSum += this.cum[n]!;
    }
    return cumSum === 0 ? 1 : minSum / cumSum;
  }
}
