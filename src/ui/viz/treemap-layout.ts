// Layout of the size treemap: a bounded SizeNode tree (as the engine's `sizeMap` query answers it)
// and a box -> positioned rectangles, parents before children. Pure: no DOM, tested in Node.
// Squarified (Bruls et al.) via d3-hierarchy; directories get a header strip for their label when
// they are big enough to hold one, and the bytes a bounded tree leaves out (`otherBytes`) are shown
// as one "other" rectangle so the areas still add up to the directory's size.
import { hierarchy, treemap, treemapSquarify, type HierarchyRectangularNode } from 'd3';
import type { SizeNode } from '../../core/views/size-map';

export type CellKind = 'dir' | 'leaf' | 'other';

export interface TreemapCell {
  /** Unique within one layout (paths repeat in the invisible map, once per layer). */
  id: string;
  name: string;
  /** As the engine gave it: relative, no leading '/'; '' for synthetic groups and "other". */
  path: string;
  size: number;
  /** Layer that wrote it (directories: the layer that wrote most of the bytes below); -1 unknown. */
  layer: number;
  /** dir: drawn with its children; leaf: a file, or a directory below the tree's depth; other: left-out bytes. */
  kind: CellKind;
  /** 1 = a child of the root (the root itself is not a cell). */
  depth: number;
  /** Leaves at the depth the engine stops at may be directories: clicking them can zoom. */
  mayHaveChildren: boolean;
  /** A directory with a header strip (room for its label). */
  header: boolean;
  parentId: string | null;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface TreemapLayout {
  width: number;
  height: number;
  /** Bytes the root stands for (its children plus its "other"). */
  total: number;
  /** Parents before children, siblings largest first. */
  cells: TreemapCell[];
}

export interface TreemapOptions {
  width: number;
  height: number;
  /** Height of a directory's label strip. */
  headerHeight?: number;
  /** Gap between siblings and inside a directory's frame. */
  padding?: number;
  /** Depth below the root at which the engine stops expanding (`sizeMap`'s depth, 3). */
  depthLimit?: number;
  /** Cells narrower or lower than this many pixels are left out. */
  minSide?: number;
}

interface Datum {
  id: string;
  name: string;
  path: string;
  size: number;
  layer: number;
  kind: CellKind;
  children?: Datum[];
}

/** SizeNode -> Datum: zero-size nodes dropped, `otherBytes` as an extra child. */
function toDatum(n: SizeNode, id: string): Datum | null {
  if (!(n.size > 0)) return null;
  const d: Datum = { id, name: n.name, path: n.path, size: n.size, layer: n.layer, kind: 'leaf' };
  if (!n.children) return d;
  const kids: Datum[] = [];
  n.children.forEach((c, i) => {
    const k = toDatum(c, `${id}/${i}`);
    if (k) kids.push(k);
  });
  if (n.otherBytes && n.otherBytes > 0) {
    kids.push({ id: `${id}/other`, name: 'other', path: '', size: n.otherBytes, layer: -1, kind: 'other' });
  }
  if (kids.length > 0) {
    d.kind = 'dir';
    d.children = kids;
  }
  return d;
}

export function layoutTreemap(root: SizeNode, opts: TreemapOptions): TreemapLayout {
  const { width, height } = opts;
  const header = opts.headerHeight ?? 18;
  const pad = opts.padding ?? 2;
  const depthLimit = opts.depthLimit ?? 3;
  const minSide = opts.minSide ?? 0.5;
  const data = toDatum(root, 'r');
  if (!data?.children || width <= 0 || height <= 0) return { width, height, total: data?.size ?? 0, cells: [] };

  const h = hierarchy<Datum>(data, (d) => d.children)
    .sum((d) => (d.children ? 0 : d.size))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  // A header only where the frame can hold a label and still leave room below it.
  const hasHeader = (n: HierarchyRectangularNode<Datum>) =>
    n.depth > 0 && !!n.children && n.x1 - n.x0 >= 40 && n.y1 - n.y0 >= header * 2 + pad;
  const laid = treemap<Datum>()
    .tile(treemapSquarify)
    .size([width, height])
    .round(false)
    .paddingInner(pad)
    .paddingOuter((n) => (n.depth === 0 ? 0 : pad))
    .paddingTop((n) => (n.depth === 0 ? 0 : hasHeader(n) ? header : pad))(h);

  const cells: TreemapCell[] = [];
  for (const n of laid.descendants()) {
    if (n.depth === 0) continue;
    if (n.x1 - n.x0 < minSide || n.y1 - n.y0 < minSide) continue;
    const d = n.data;
    cells.push({
      id: d.id,
      name: d.name,
      path: d.path,
      size: n.value ?? d.size,
      layer: d.layer,
      kind: d.kind,
      depth: n.depth,
      mayHaveChildren: d.kind === 'dir' || (d.kind === 'leaf' && n.depth >= depthLimit),
      header: hasHeader(n),
      parentId: n.parent && n.parent.depth > 0 ? n.parent.data.id : null,
      x0: n.x0, y0: n.y0, x1: n.x1, y1: n.y1,
    });
  }
  return { width, height, total: laid.value ?? 0, cells };
}

/** The subtree of `root` at `id` (a cell id of a layout of `root`), for zooming without a query. */
export function subtreeAt(root: SizeNode, id: string): SizeNode | undefined {
  const parts = id.split('/');
  if (parts[0] !== 'r') return undefined;
  let n: SizeNode | undefined = root;
  for (const p of parts.slice(1)) {
    if (p === 'other') return undefined;
    n = n?.children?.[Number(p)];
  }
  return n;
}
