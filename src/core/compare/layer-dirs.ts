// Bytes a layer wrote per directory, rolled up to every ancestor, read from the merge's columns:
// each file entry adds its size to its directory's node, then one sweep from the highest node id
// down (a parent is always created before its children) carries the sums upward. No recursion and
// no path string except for the directories reported.

import { EntryKind } from '../types';
import type { MergedImage } from '../merge';

/** Depth of every node (root 0), from the parent column in one forward pass. */
export function nodeDepths(m: MergedImage): Int32Array {
  const parent = m.nodes.parent;
  const depth = new Int32Array(m.nodes.count);
  for (let n = 1; n < m.nodes.count; n++) depth[n] = depth[parent[n]!]! + 1;
  return depth;
}

/** Directory path -> bytes of the regular files layer `layer` wrote below it, for directories at
 *  most `maxDepth` deep (deeper ones are inside their ancestors' sums). The root is left out. */
export function layerDirectoryBytes(m: MergedImage, layer: number, depth: Int32Array, maxDepth: number): Map<string, number> {
  const x = m.layers[layer]!;
  const nodeOf = m.state.entryNode[layer]!;
  const parent = m.nodes.parent;
  const acc = new Float64Array(m.nodes.count);
  let lowest = m.nodes.count;
  for (let e = 0; e < x.count; e++) {
    if (x.kind[e] !== EntryKind.file || x.size[e] === 0) continue;
    const n = nodeOf[e]!;
    if (n <= 0) continue;
    acc[parent[n]!]! += x.size[e]!;
  }
  for (let n = m.nodes.count - 1; n > 0; n--) {
    if (acc[n] === 0) continue;
    acc[parent[n]!]! += acc[n]!;
    lowest = n;
  }
  const out = new Map<string, number>();
  for (let n = lowest; n < m.nodes.count; n++) {
    if (acc[n]! > 0 && depth[n]! <= maxDepth) out.set(m.path(n), acc[n]!);
  }
  return out;
}
