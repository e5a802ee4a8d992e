// Layout of the layer graph: data -> rows and lanes, a pure function (painting is in layer-graph.ts).
// Images that share a prefix of layers (same key) share those rows; where they diverge the graph
// branches into another lane, as `git log --graph` does. Rows are produced bottom-up (base first).

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
  | { kind: 'writable'; id: string; lane: number; imageId: string; label: string };

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

export function layoutLayerGraph(images: GraphImageInput[]): GraphLayout {
  const rows: GraphRow[] = [];
  const edges: GraphEdge[] = [];
  let lanes = 0;
  const total = images.length;

  // Each branch: its steps, then its node, in the given lane; `parentRow` is the row it grows from.
  const pushSteps = (steps: string[], lane: number, imageIds: string[], prefix: string, parent: { row: number; lane: number } | null) => {
    let prev = parent;
    steps.forEach((text, i) => {
      rows.push({ kind: 'step', id: `${prefix}:step:${i}`, lane, text, imageIds });
      if (prev) edges.push({ fromRow: prev.row, toRow: rows.length - 1, fromLane: prev.lane, toLane: lane });
      prev = { row: rows.length - 1, lane };
    });
    return prev;
  };

  const visit = (node: TrieNode, lane: number, parent: { row: number; lane: number } | null, path: string) => {
    const id = `${path}/${node.layerIndex}:${node.key}`;
    let prev = pushSteps(node.steps, lane, node.imageIds, id, parent);
    rows.push({ kind: 'layer', id, lane, key: node.key, layerIndex: node.layerIndex, imageIds: node.imageIds, shared: total > 1 && node.imageIds.length > 1 });
    if (prev) edges.push({ fromRow: prev.row, toRow: rows.length - 1, fromLane: prev.lane, toLane: lane });
    const here = { row: rows.length - 1, lane };
    // The first continuation keeps the lane; every other one (and each image ending here while
    // others continue) opens a new lane.
    const branches: ({ kind: 'child'; node: TrieNode } | { kind: 'end'; end: TrieNode['ends'][number] })[] = [
      ...node.ends.map((end) => ({ kind: 'end' as const, end })),
      ...node.children.map((c) => ({ kind: 'child' as const, node: c })),
    ];
    branches.forEach((b, i) => {
      const bLane = i === 0 ? lane : lanes++;
      if (b.kind === 'child') visit(b.node, bLane, here, id);
      else {
        prev = pushSteps(b.end.steps, bLane, [b.end.id], `${id}:end:${b.end.id}`, here);
        rows.push({ kind: 'writable', id: `${id}:writable:${b.end.id}`, lane: bLane, imageId: b.end.id, label: b.end.label });
        const from = prev ?? here;
        edges.push({ fromRow: from.row, toRow: rows.length - 1, fromLane: from.lane, toLane: bLane });
      }
    });
  };

  const root = buildTrie(images);
  root.children.forEach((c) => visit(c, lanes++, null, ''));
  // Images without layers (rare: a scratch image) still get their writable layer.
  root.ends.forEach((end) => {
    rows.push({ kind: 'writable', id: `writable:${end.id}`, lane: lanes++, imageId: end.id, label: end.label });
  });
  return { rows, edges, lanes: Math.max(lanes, 1) };
}
