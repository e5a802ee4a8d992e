// Data for the size maps: a bounded tree of the largest paths below a directory (each node with
// its bytes and the layer that wrote most of them), and the "shipped but invisible" tree of bytes
// that layers store but the final filesystem no longer shows, grouped by layer then directory.
// Bounded by node count so a 1M-file image still sends a few hundred nodes.

import { EntryKind } from '../types';
import { FINAL, ROOT, type MergedImage } from '../merge';
import { REASONS, type Reclaimable } from '../analysis/reclaimable';
import type { LargestDir, LargestFile } from './types';

export interface SizeNode {
  name: string;
  path: string;
  size: number;
  /** Layer that wrote the most bytes below (files: the layer that wrote it). */
  layer: number;
  /** A directory (its children may be cut at the depth limit: zoom in with another query). */
  isDir?: boolean;
  children?: SizeNode[];
  /** Bytes of children left out to stay within the node budget. */
  otherBytes?: number;
}

/** `path` is bare ('' for the root). */
export function sizeMap(merged: MergedImage, path: string, opts: { depth?: number; budget?: number } = {}): SizeNode | undefined {
  const depth = opts.depth ?? 3;
  let budget = opts.budget ?? 600;
  const node = path === '' ? ROOT : merged.findPath(path);
  if (node < 0 || !merged.isVisible(node, FINAL)) return undefined;
  // The directories' layers are filled in afterwards, all in one pass over the image.
  const dirs: { id: number; out: SizeNode }[] = [];
  const build = (n: number, d: number): SizeNode => {
    const p = n === ROOT ? '' : merged.path(n);
    const attrs = merged.attributes(n, FINAL);
    const isDir = n === ROOT || attrs?.kind === EntryKind.dir;
    const out: SizeNode = { name: p.slice(p.lastIndexOf('/') + 1) || '/', path: p, size: merged.totalBytes[n]!, layer: attrs?.lastLayer ?? -1 };
    if (!isDir) return out;
    out.isDir = true;
    dirs.push({ id: n, out });
    if (d >= depth) return out;
    const kids = merged.childrenOf(n, FINAL, 'size');
    const children: SizeNode[] = [];
    let other = 0;
    for (const c of kids) {
      const size = merged.totalBytes[c]!;
      if (size === 0) continue;
      if (budget <= 0) { other += size; continue; }
      budget--;
      children.push(build(c, d + 1));
    }
    out.children = children;
    if (other > 0) out.otherBytes = other;
    return out;
  };
  const root = build(node, 0);
  const layers = dominantLayers(merged, dirs.map((x) => x.id));
  dirs.forEach((x, i) => { x.out.layer = layers[i]!; });
  return root;
}

/**
 * For each of `dirs` (visible directories of the final filesystem, each listed after its
 * ancestors), the layer that wrote the most bytes below it: the first such layer on a tie, layer
 * 0 when nothing below has bytes (as `dirTotals(dir, FINAL).bytesByLayer` would say). One pass
 * over the node columns for all of them: summing each directory's subtree on its own walked the
 * big directories once per level of the map (~270 ms on 240k files).
 */
function dominantLayers(merged: MergedImage, dirs: number[]): number[] {
  const count = merged.nodeCount;
  const L = merged.layers.length;
  const parent = merged.nodes.parent;
  const { present, curWrite } = merged.state;
  const { bytes: eventBytes, layer: eventLayer } = merged.events;
  const slot = new Int32Array(count).fill(-1);
  dirs.forEach((d, i) => { slot[d] = i; });
  // nearest[n]: the slot of the closest listed directory at or above n (-1: none); -2 for a node
  // under a hidden one, which no total counts. Parents are created before their children.
  const nearest = new Int32Array(count);
  nearest[ROOT] = slot[ROOT]!;
  const byLayer = new Float64Array(dirs.length * L);
  for (let n = 1; n < count; n++) {
    const up = nearest[parent[n]!]!;
    if (up === -2 || present[n] !== 1) { nearest[n] = -2; continue; }
    nearest[n] = slot[n]! >= 0 ? slot[n]! : up;
    if (nearest[n]! < 0 || merged.kindIn(n, FINAL) !== EntryKind.file) continue;
    const w = curWrite[n]!;
    byLayer[nearest[n]! * L + eventLayer[w]!]! += eventBytes[w]!;
  }
  // Each directory's bytes into the listed directory above it, deepest first.
  for (let i = dirs.length - 1; i >= 0; i--) {
    const d = dirs[i]!;
    const up = d === ROOT ? -1 : nearest[parent[d]!]!;
    if (up < 0) continue;
    for (let l = 0; l < L; l++) byLayer[up * L + l]! += byLayer[i * L + l]!;
  }
  return dirs.map((_, i) => {
    let best = -1;
    let most = -1;
    for (let l = 0; l < L; l++) if (byLayer[i * L + l]! > most) { most = byLayer[i * L + l]!; best = l; }
    return best;
  });
}

/** Bytes shipped but invisible: layer -> directory tree -> copies, with the reason in the leaf name. */
export function invisibleMap(merged: MergedImage, r: Reclaimable, budget = 600): SizeNode {
  const root: SizeNode = { name: 'shipped but invisible', path: '', size: r.totalBytes, layer: -1, children: [] };
  const order = Array.from({ length: r.rows.count }, (_, i) => i).sort((a, b) => r.rows.bytes[b]! - r.rows.bytes[a]!);
  const layers = new Map<number, SizeNode>();
  let other = 0;
  for (const i of order) {
    const layer = r.rows.layer[i]!;
    const bytes = r.rows.bytes[i]!;
    let L = layers.get(layer);
    if (!L) {
      L = { name: `layer ${layer}`, path: '', size: 0, layer, children: [] };
      layers.set(layer, L);
      root.children!.push(L);
    }
    L.size += bytes;
    if (budget <= 0) { L.otherBytes = (L.otherBytes ?? 0) + bytes; other += bytes; continue; }
    budget--;
    const path = merged.path(r.rows.node[i]!);
    L.children!.push({ name: `${path.slice(path.lastIndexOf('/') + 1)} (${REASONS[r.rows.reason[i]!]})`, path, size: bytes, layer });
  }
  root.children!.sort((a, b) => b.size - a.size);
  if (other > 0) root.otherBytes = other;
  return root;
}

/** The largest files of the final filesystem (ties in path order). */
export function largestFiles(merged: MergedImage, limit = 50): LargestFile[] {
  const top: { size: number; layer: number; node: number }[] = [];
  // Read from the columns: `attributes` builds an object (and a hash string) per node, seconds on 240k.
  const { bytes, layer } = merged.events;
  for (const n of merged.listAll(FINAL)) {
    if (merged.kindIn(n, FINAL) !== EntryKind.file) continue;
    const w = merged.visibleWrite(n, FINAL);
    const size = bytes[w]!;
    if (top.length === limit && size <= top[top.length - 1]!.size) continue;
    top.push({ size, layer: layer[w]!, node: n });
    top.sort((x, y) => y.size - x.size);
    if (top.length > limit) top.pop();
  }
  return top.map((t) => ({ path: merged.path(t.node), size: t.size, layer: t.layer }));
}

/** The largest directories (by bytes below), excluding the root (ties in path order). */
export function largestDirs(merged: MergedImage, limit = 50): LargestDir[] {
  const top: { node: number; size: number }[] = [];
  for (const n of merged.listAll(FINAL)) {
    if (merged.kindIn(n, FINAL) !== EntryKind.dir) continue;
    const size = merged.totalBytes[n]!;
    if (top.length === limit && size <= top[top.length - 1]!.size) continue;
    top.push({ node: n, size });
    top.sort((x, y) => y.size - x.size);
    if (top.length > limit) top.pop();
  }
  return top.map((t) => ({ path: merged.path(t.node), size: t.size, files: merged.totalFiles[t.node]! }));
}
