// What the page asks of a loaded image and what comes back: windows of tree rows, details of one
// path, per-image analysis. Plain data, safe to post between threads.

/** Which filesystem a tree shows: the final image, everything up to a layer, or one layer's changes. */
export interface TreeView {
  mode: 'final' | 'upTo' | 'layerOnly';
  /** Layer index within the image; ignored for 'final'. */
  layer: number;
}

export type ChangeKind = 'added' | 'modified' | 'meta' | 'removed' | 'unchanged';

export interface TreeFilter {
  /** Substring, or a regular expression when `regex` is set; matched against the full path. */
  text: string;
  regex: boolean;
  minSize: number;
  show: Record<ChangeKind, boolean>;
}

export interface TreeRowsRequest {
  imageId: string;
  view: TreeView;
  /** Paths of expanded directories. '' is the root and is always expanded. */
  expanded: string[];
  /** Expand everything (expand-all); `expanded` then lists the collapsed ones instead. */
  expandAll: boolean;
  filter: TreeFilter;
  sort: 'name' | 'size';
  offset: number;
  limit: number;
}

export interface TreeRow {
  path: string;
  name: string;
  depth: number;
  /** '-', 'd', 'l', 'h', 'c', 'b', 'p' as in `ls -l`. */
  type: string;
  size: number;
  mode: number;
  change: ChangeKind;
  /** Layer that last wrote it (in this view). */
  layer: number;
  hasChildren: boolean;
  expanded: boolean;
  linkTarget?: string;
}

export interface TreeRowsResponse { total: number; offset: number; rows: TreeRow[] }

export interface NodeDetails {
  path: string;
  type: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkTarget?: string;
  hash?: string;
  /** Every layer that touched it, and how. */
  history: { layer: number; change: ChangeKind; size: number }[];
  /** For directories: bytes and files below it in this view, and bytes per layer. */
  totals?: { bytes: number; files: number; bytesByLayer: number[] };
}

export interface LayerStats {
  index: number;
  added: number;
  modified: number;
  meta: number;
  removed: number;
  unchanged: number;
  removedBytes: number;
  reclaimableBytes: number;
}

export interface ImageAnalysis {
  imageId: string;
  /** dive's figures, with dive's definitions. */
  dive: { sizeBytes: number; userSizeBytes: number; inefficientBytes: number; efficiencyScore: number; userWastedPercent: number };
  reclaimableBytes: number;
  layers: LayerStats[];
}

