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

interface Unit {
  /** Rows of this unit, bottom-up: its empty-layer steps, then its layer or writable row. */
  rows: GraphRow[];
  level: number;
  lane: number;
  parent: Unit | null;
}

/**
 * Rows bottom-up. Layers at the same height (layer index) sit next to each other whatever their
 * branch, so every image's writable layer ends up on top, as in `git log --graph --date-order`.
 */
export function layoutLayerGraph(images: GraphImageInput[]): GraphLayout {
  const units: Unit[] = [];
  let lanes = 0;
  const total = images.length;
  const steps = (texts: string[], lane: number, imageIds: string[], prefix: string): GraphRow[] =>
    texts.map((text, i) => ({ kind: 'step', id: `${prefix}:step:${i}`, lane, text, imageIds }));

  const visit = (node: TrieNode, lane: number, parent: Unit | null, path: string) => {
    const id = `${path}/${node.layerIndex}:${node.key}`;
    const unit: Unit = {
      rows: [
        ...steps(node.steps, lane, node.imageIds, id),
        { kind: 'layer', id, lane, key: node.key, layerIndex: node.layerIndex, imageIds: node.imageIds, shared: total > 1 && node.imageIds.length > 1 },
      ],
      level: node.layerIndex,
      lane,
      parent,
    };
    units.push(unit);
    // The first continuation keeps the lane; every other one (and each image ending here while
    // others continue) opens a new lane.
    const branches = [
      ...node.children.map((c) => ({ child: c, end: null })),
      ...node.ends.map((end) => ({ child: null, end })),
    ];
    branches.forEach((b, i) => {
      const bLane = i === 0 ? lane : lanes++;
      if (b.child) visit(b.child, bLane, unit, id);
      else if (b.end) {
        units.push({
          rows: [
            ...steps(b.end.steps, bLane, [b.end.id], `${id}:end:${b.end.id}`),
            { kind: 'writable', id: `${id}:writable:${b.end.id}`, lane: bLane, imageId: b.end.id, label: b.end.label },
          ],
          level: Number.POSITIVE_INFINITY,
          lane: bLane,
          parent: unit,
        });
      }
    });
  };

  const root = buildTrie(images);
  root.children.forEach((c) => visit(c, lanes++, null, ''));
  // Images without layers (rare: a scratch image) still get their writable layer.
  root.ends.forEach((end) => {
    const lane = lanes++;
    units.push({ rows: [{ kind: 'writable', id: `writable:${end.id}`, lane, imageId: end.id, label: end.label }], level: Number.POSITIVE_INFINITY, lane, parent: null });
  });

  const order = units.map((u, i) => ({ u, i })).sort((a, b) => a.u.level - b.u.level || a.u.lane - b.u.lane || a.i - b.i);
  const rows: GraphRow[] = [];
  const edges: GraphEdge[] = [];
  const topRow = new Map<Unit, number>();
  for (const { u } of order) {
    u.rows.forEach((r, j) => {
      rows.push(r);
      const at = rows.length - 1;
      if (j > 0) edges.push({ fromRow: at - 1, toRow: at, fromLane: u.lane, toLane: u.lane });
      else if (u.parent) edges.push({ fromRow: topRow.get(u.parent)!, toRow: at, fromLane: u.parent.lane, toLane: u.lane });
    });
    topRow.set(u, rows.length - 1);
  }
  return { rows, edges, lanes: Math.max(lanes, 1) };
}
