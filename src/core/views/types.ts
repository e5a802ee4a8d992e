// What the page asks of a loaded image and what comes back: windows of tree rows, details of one
// path, per-image analysis. Plain data, safe to post between threads.

import type { View, ChangeName } from '../merge';
import type { ImageId, Warning } from '../types';
import type { DiveSummary } from '../analysis/dive';
import type { InstalledPackage } from '../packages/types';
import type { SizeNode } from './size-map';

/** Which filesystem a tree shows, and what a layer did to a path: the merge's own vocabulary. */
export type { View, ChangeName, DiveSummary, SizeNode };

export interface TreeFilter {
  /** Substring, or a regular expression when `regex` is set; matched against the full path. */
  text: string;
  regex: boolean;
  minSize: number;
  show: Record<ChangeName, boolean>;
}

export interface TreeRowsRequest {
  imageId: ImageId;
  view: View;
  /** Paths of expanded directories. '' is the root and is always expanded. */
  expanded: string[];
  /** Expand everything (expand-all); `expanded` then lists the collapsed ones instead. */
  expandAll: boolean;
  /**
   * "This layer" (layerOnly) only: also open the directories on the way to every path the layer
   * changes, when it changes at most OPEN_CHANGES_LIMIT paths (dive's tree starts expanded). The
   * answer names the directories it opened (`opened`), so the page can adopt them as the user's own
   * expansion when the user first expands or collapses one.
   */
  openChanges?: boolean;
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
  change: ChangeName;
  /** Layer that last wrote it (in this view). */
  layer: number;
  hasChildren: boolean;
  expanded: boolean;
  linkTarget?: string;
}

export interface TreeRowsResponse {
  total: number;
  offset: number;
  rows: TreeRow[];
  /** Directories opened by `openChanges` (bare paths, at most OPEN_CHANGES_LIMIT); absent when none were. */
  opened?: string[];
}

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
  history: { layer: number; change: ChangeName; size: number }[];
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
  imageId: ImageId;
  /** dive's figures, with dive's definitions. */
  dive: DiveSummary;
  reclaimableBytes: number;
  layers: LayerStats[];
  /**
   * Set while layers are still being read: this analysis merges only the image's first `layers`
   * layers (the indexed prefix) of `of`; the final one replaces it. Its figures cover that prefix.
   */
  partial?: { layers: number; of: number };
}


export interface LargestFile { path: string; size: number; layer: number }
export interface LargestDir { path: string; size: number; files: number }
export interface LargestAnswer { files: LargestFile[]; dirs: LargestDir[] }

export interface PackagesAnswer {
  packages: InstalledPackage[];
  /** Regular files of the final filesystem no package database lists. */
  unowned: { bytes: number; files: number };
  warnings: Warning[];
}
