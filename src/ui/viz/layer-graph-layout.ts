// Layout of the layer graph: data -> rows and lanes, a pure function (painting is in layer-graph.ts).
// Images that share a prefix of layers (same key) share those rows; where they diverge the graph
// branches into another lane, as `git log --graph --topo-order` does: each branch's rows are drawn
// together, one branch above the other, never interleaved. Rows are produced bottom-up (base first),
// and each image ends with its writable container layer and, when several images are drawn, a head
// row naming it (its tag) at the top of its lane.

export interface GraphLayerInput {
  key: string;
  index: number;
}

export interface GraphImageInput {
  id: string;
  label: string;
  layers: GraphLayerInput[];
  /** Empty-layer steps (ENV, CMD...) before layer i, and at index `layers.length` the trailing ones. */
  stepsBefore: string[][];
}

export type GraphRow =
  | { kind: 'layer'; id: string; lane: number; key: string; layerIndex: number; imageIds: string[]; shared: boolean }
  | { kind: 'step'; id: string; lane: number; text: string; imageIds: string[] }
  | { kind: 'writable'; id: string; lane: number; imageId: string; label: string }
  | { kind: 'head'; id: string; lane: number; imageId: string; label: string };

export interface GraphEdge { fromRow: number; toRow: number; fromLane: number; toLane: number }

export interface GraphLayout { rows: GraphRow[]; edges: GraphEdge[]; lanes: number }

interface TrieNode {
  key: string;
  layerIndex: number;
  imageIds: string[];
  steps: string[];
  children: TrieNode[];
  /** Images whose last layer is this node. */
  ends: { id: string; label: string; steps: string[] }[];
}

function buildTrie(images: GraphImageInput[]): TrieNode {
  const root: TrieNode = { key: '', layerIndex: -1, imageIds: [], steps: [], children: [], ends: [] };
  for (const img of images) {
    let node = root;
    img.layers.forEach((layer, i) => {
      let child = node.children.find((c) => c.key === layer.key && c.layerIndex === layer.index);
      if (!child) {
        child = { key: layer.key, layerIndex: layer.index, imageIds: [], steps: img.stepsBefore[i] ?? [], children: [], ends: [] };
        node.children.push(child);
      }
      child.imageIds.push(img.id);
      node = child;
    });
    node.ends.push({ id: img.id, label: img.label, steps: img.stepsBefore[img.layers.length] ?? [] });
  }
  return root;
}

/**
 * Rows bottom-up, depth first: a layer, then each branch above it in full (its layers, its writable
 * layer, its head), so a reader follows one image up one lane without hovering.
 */
export function layoutLayerGraph(images: GraphImageInput[]): GraphLayout {
  const rows: GraphRow[] = [];
  const edges: GraphEdge[] = [];
  let lanes = 0;
  const heads = images.length > 1;
  const total = images.length;
  /** Appends `more`, linked to the row `from` (in `fromLane`) below them; returns the top row. */
  const append = (more: GraphRow[], from: { row: number; lane: number } | null): number => {
    more.forEach((r, j) => {
      rows.push(r);
      const at = rows.length - 1;
      if (j > 0) edges.push({ fromRow: at - 1, toRow: at, fromLane: r.lane, toLane: r.lane });
      else if (from) edges.push({ fromRow: from.row, toRow: at, fromLane: from.lane, toLane: r.lane });
    });
    return rows.length - 1;
  };
  const steps = (texts: string[], lane: number, imageIds: string[], prefix: string): GraphRow[] =>
    texts.map((text, i) => ({ kind: 'step', id: `${prefix}:step:${i}`, lane, text, imageIds }));
  const ending = (end: TrieNode['ends'][number], lane: number, prefix: string): GraphRow[] => [
    ...steps(end.steps, lane, [end.id], `${prefix}:end:${end.id}`),
    { kind: 'writable', id: `${prefix}:writable:${end.id}`, lane, imageId: end.id, label: end.label },
    ...(heads ? [{ kind: 'head' as const, id: `${prefix}:head:${end.id}`, lane, imageId: end.id, label: end.label }] : []),
  ];

  const visit = (node: TrieNode, lane: number, from: { row: number; lane: number } | null, path: string) => {
    const id = `${path}/${node.layerIndex}:${node.key}`;
    const top = append([
      ...steps(node.steps, lane, node.imageIds, id),
      { kind: 'layer', id, lane, key: node.key, layerIndex: node.layerIndex, imageIds: node.imageIds, shared: total > 1 && node.imageIds.length > 1 },
    ], from);
    // The first continuation keeps the lane; every other one (and each image ending here while
    // others continue) opens a new lane.
    const branches = [
      ...node.children.map((c) => ({ child: c, end: null })),
      ...node.ends.map((end) => ({ child: null, end })),
    ];
    branches.forEach((b, i) => {
      const bLane = i === 0 ? lane : lanes++;
      if (b.child) visit(b.child, bLane, { row: top, lane }, id);
      else if (b.end) append(ending(b.end, bLane, id), { row: top, lane });
    });
  };

  const root = buildTrie(images);
  root.children.forEach((c) => visit(c, lanes++, null, ''));
  // Images without layers (rare: a scratch image) still get their writable layer.
  root.ends.forEach((end) => append(ending(end, lanes++, 'scratch'), null));
  return { rows, edges, lanes: Math.max(lanes, 1) };
}
