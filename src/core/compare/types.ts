// The compare report: `npm run compare -- A B --json FILE` writes it, the page shows the same
// figures. Its keys are a contract (issue #12): never rename one; add fields, and bump `version`
// only when a meaning changes. Paths carry no leading '/'.

import type { FileTotals, PathChangeName } from './diff-files';
import type { LayerRelation } from './align-layers';
import type { PackageDiffRow } from './diff-packages';
import type { ConfigDiffRow, HistoryDiffRow } from './diff-config';

/** Version 1: the first. */
export const COMPARE_REPORT_VERSION = 1;

export interface CompareImageRef {
  /** A tag, else the input's name with `#<image>` when the archive holds several. */
  name: string;
  configDigest: string | null;
  /** `os/arch[/variant]`, or 'unknown'. */
  platform: string;
  /** Sum of the layers' sizes (dive's image `sizeBytes`, as `npm run analyze` reports it). */
  sizeBytes: number;
  /** Stored (compressed) bytes of its layers. */
  storedBytes: number;
  /** Bytes of regular files in the final filesystem. */
  finalBytes: number;
  layers: number;
}

export interface CompareLayerSide {
  index: number;
  diffId: string | null;
  /** The history step (`created_by`) as recorded. */
  command: string;
  /** Sum of the layer's entry sizes (dive's per-layer `sizeBytes`). */
  sizeBytes: number;
  /** Bytes of the stored blob (compressed where the archive compresses layers). */
  compressedSize: number | null;
}

export interface CompareDirectoryRow {
  path: string;
  sizeA: number;
  sizeB: number;
  delta: number;
}

export interface CompareLayerRow {
  relation: LayerRelation;
  a: CompareLayerSide | null;
  b: CompareLayerSide | null;
  /** b.sizeBytes - a.sizeBytes (a missing side counts 0). */
  delta: number;
  /** For changed, only-a and only-b rows: the directories whose bytes the pair changed most. */
  directories: CompareDirectoryRow[];
}

export interface ComparePathRow {
  path: string;
  change: PathChangeName;
  /** `ls -l` letter of B's entry, or A's when removed: '-', 'd', 'l', 'h', 'c', 'b', 'p'. */
  type: string;
  /** A's letter, present only when the type changed (a directory replaced by a file). */
  typeA?: string;
  /** Bytes (a directory's: below it); null when the side lacks the path. */
  sizeA: number | null;
  sizeB: number | null;
}

export interface ComparePull {
  /** Stored bytes of B's layers whose diff_id A lacks: what a host holding A downloads for B. */
  bytesForBGivenA: number;
  bytesForAGivenB: number;
  layersForBGivenA: number;
  layersForAGivenB: number;
}

/** A layer of B rebuilt by the update with a diff_id A lacks: pushed, and pulled by hosts holding A. */
export interface CompareRebuiltLayer {
  index: number;
  diffId: string | null;
  command: string;
  sizeBytes: number;
  compressedSize: number | null;
}

/** What the update from A to B rebuilt: B's layers from the first changed step up (issue #21). */
export interface CompareRebuilt {
  /**
   * B's first step a build holding A could not reuse: `history` its index in B's history (null when
   * the images carry none), `layer` the first of B's layers from there up (null when no layer
   * follows), `command` its created_by. Null when B's steps are all A's.
   */
  firstChangedStep: { history: number | null; layer: number | null; command: string } | null;
  /** From that step up, the layers whose diff_id A lacks, bottom first. */
  layers: CompareRebuiltLayer[];
  /** Their unpacked and stored bytes. */
  sizeBytes: number;
  storedBytes: number;
  /** Layers from that step up that came out with a diff_id A has: rebuilt, not re-shipped. */
  unchangedLayers: number;
}

export interface CompareGrowth {
  packages: { ecosystem: string; name: string; delta: number }[];
  directories: { path: string; delta: number }[];
  layers: { index: number; command: string; delta: number }[];
}

export interface CompareReport {
  version: typeof COMPARE_REPORT_VERSION;
  a: CompareImageRef;
  b: CompareImageRef;
  /** True when the files, packages, config and history all agree (layers say where, not what). */
  same: boolean;
  options: { includeMtime: boolean; ignore: string[] };
  layers: CompareLayerRow[];
  files: FileTotals;
  /** Every differing path in `tar -t` order, except those deeper than `limits.pathDepth`. */
  paths: ComparePathRow[];
  /** Directories whose bytes differ, largest |delta| first, at most `limits.directoryDepth` deep. */
  directories: CompareDirectoryRow[];
  /** Largest |bytesB - bytesA| first. */
  packages: PackageDiffRow[];
  config: ConfigDiffRow[];
  history: HistoryDiffRow[];
  pull: ComparePull;
  /** Issue #21: what the update rebuilt and re-ships, from B's first changed step up. */
  rebuilt: CompareRebuilt;
  /** What made B bigger: the largest positive contributors. */
  growth: CompareGrowth;
  limits: { pathDepth: number; directoryDepth: number; pathsTooDeep: number };
}
