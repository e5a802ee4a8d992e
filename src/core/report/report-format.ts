// The `--json` report's declared format: what `strata analyze --json` writes and the page's
// "Download report" saves. Written after speedscope's `file-format-spec.ts`: `$schema` names the
// format, `version` counts additions, every field added after the first declared version says in
// which. Fields are added, never renamed or removed: dive's `image`/`layer` keys are read by dive's
// consumers, and `strata.*` by CI scripts.
//
// Version 0 is the report before this file (no `$schema`, no `version`); every field without an
// "Added in" note was in it.

import type { Compression, Digest, Verification, WarningCode } from '../types';
import type { ArchiveSummary, HistoryStep, ImageConfigView } from '../image/model';
import type { FindingKind } from '../findings/types';
import type { Ecosystem } from '../packages/types';
import type { ReclaimReason } from '../analysis/reclaimable';

export const REPORT_SCHEMA = 'urn:strata:report';
export const REPORT_VERSION = 1;

export interface StrataReport {
  /** Added in 1. Always `urn:strata:report`. */
  $schema: typeof REPORT_SCHEMA;
  /** Added in 1. Goes up by one with every release that adds a field. */
  version: typeof REPORT_VERSION;
  /** dive's `image`, for the first image (dive's export holds one image); absent when none was analysed. */
  image?: DiveImage;
  /** dive's `layer`, for the first image. */
  layer?: DiveLayer[];
  strata: ReportArchive;
  /** Added in 1. Only in `strata ci --json`: the gate's verdict on the first image (issue 13). */
  ci?: ReportCi;
}

/** The CI gate's result: every listed rule, sorted by key as dive prints them. */
export interface ReportCi {
  result: 'pass' | 'fail';
  tally: { total: number; passed: number; failed: number; warned: number; skipped: number };
  rules: ReportCiRule[];
  /** The figures the rules judged (dive's, or scoped by `ignore` / `base`). */
  figures: ReportCiFigures;
}

/** The gate's figures as the report carries them (the gate's own GateFigures extends these). */
export interface ReportCiFigures {
  efficiency: number;
  wastedBytes: number;
  userSizeBytes: number;
  /** null when wasted bytes have no user bytes to be a ratio of. */
  userWastedPercent: number | null;
  sizeBytes: number;
  layerCount: number;
  baseLayers: number;
  reclaimableBytes: number;
  /** Added in 1 (with `ci`). Only with `--baseline IMAGE`: this image against the baseline. */
  baseline?: ReportCiBaseline;
}

/**
 * The baseline rules' figures, from the compare report of the baseline (A) against this image (B):
 * the very numbers `npm run compare -- BASELINE IMAGE --json` writes (`a.sizeBytes`, `b.sizeBytes`,
 * `packages` with change `added`, `directories`).
 */
export interface ReportCiBaseline {
  /** The baseline as given to `--baseline` (a path or a reference). */
  name: string;
  /** The baseline's size (compare's `a.sizeBytes`: the sum of its layers' file sizes). */
  sizeBytes: number;
  /** This image's size minus the baseline's (negative: it shrank). */
  growthBytes: number;
  /** growthBytes / the baseline's size (1 = doubled); 0 when neither has bytes, null when only the baseline is empty. */
  growthPercent: number | null;
  /** Packages this image has and the baseline lacks (compare's `packages` rows with change `added`). */
  newPackages: { ecosystem: string; name: string; version: string | null }[];
  /** The directory that grew most (the deepest on a tie; compare's `directories` row), or null if none grew. */
  directoryGrowth: { path: string; sizeA: number; sizeB: number; delta: number } | null;
}

export interface ReportCiRule {
  key: string;
  /** null when the rule is disabled. */
  threshold: number | null;
  /** null when the figure has no finite value. */
  value: number | null;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  message: string;
}

/** dive's `--json` export shape (dive `runtime/export/export.go`), with dive's definitions. */
export interface DiveImage {
  sizeBytes: number;
  inefficientBytes: number;
  efficiencyScore: number;
  /** Paths in more than one layer (or removed), largest cumulative size first; `file` starts with '/'. */
  fileReference: DiveFileReference[];
}

export interface DiveFileReference { count: number; sizeBytes: number; file: string }

export interface DiveLayer {
  index: number;
  /** The diff_id's hex (dive's layer id), else the layer's key. */
  id: string;
  /** The diff_id, '' when unknown. */
  digestId: string;
  sizeBytes: number;
  command: string;
  /** Every path the layer's tar lists, bare (no leading '/'), as dive lists them. */
  fileList: { path: string }[];
}

export interface ReportArchive {
  /** How the images were stored (`docker-save`, `oci-layout`, ...), or `registry` when read from one. */
  format: ArchiveSummary['format'];
  outerCompression: Compression;
  images: ReportImage[];
  /** Platforms of a multi-platform index that were not read, as `os/arch[/variant]`. */
  otherPlatforms: { platform: string; digest: Digest }[];
  /** Attestation manifests that were skipped. */
  attestations: number;
  warnings: ReportWarning[];
}

export interface ReportImage extends Partial<ImageAnalysisFields> {
  id: string;
  tags: string[];
  /** `os/arch[/variant]`, null when the config names none. */
  platform: string | null;
  configDigest: Digest | null;
  manifestDigest: Digest | null;
  config: ImageConfigView;
  history: HistoryStep[];
  layers: ReportLayer[];
}

/** Present on every image once its layers are merged and analysed (always, from the CLI). */
export interface ImageAnalysisFields {
  /** Bytes shipped that the final filesystem does not show (README: "Reclaimable bytes"). */
  reclaimableBytes: number;
  reclaimableByReason: Record<ReclaimReason, number>;
  dive: ReportDive;
  /** At most 5000 rows. */
  packages: ReportPackage[];
  unownedFiles: { bytes: number; files: number };
  findings: ReportFinding[];
}

/** dive's figures for this image: every image has them, not only the first. */
export interface ReportDive {
  sizeBytes: number;
  userSizeBytes: number;
  inefficientBytes: number;
  efficiencyScore: number;
  userWastedPercent: number;
  /** Added in 1. dive's `image.fileReference` for this image. */
  fileReference?: DiveFileReference[];
  /** Added in 1. dive's per-layer `sizeBytes` and `command` for this image (no `fileList`: see the top-level `layer`). */
  layers?: { index: number; sizeBytes: number; command: string }[];
}

export interface ReportPackage {
  name: string;
  version: string;
  ecosystem: Ecosystem;
  bytes: number;
  files: number;
  layer: number;
}

export interface ReportFinding {
  kind: FindingKind;
  bytes: number;
  layer: number;
  files: number;
  /** Bare paths, the largest first, at most 20. */
  paths: string[];
  fix: string;
  step?: string;
  removedBy?: number;
}

export interface ReportLayer extends Partial<LayerAnalysisFields> {
  index: number;
  diffId: Digest | null;
  digest: Digest | null;
  mediaType: string | null;
  compression: Compression;
  compressedSize: number;
  uncompressedSize: number | null;
  files: number | null;
  command: string;
  verification: Verification;
}

export interface LayerAnalysisFields {
  reclaimableBytes: number;
  added: number;
  modified: number;
  removed: number;
  metadataOnly: number;
  unchangedRewrites: number;
  removedBytes: number;
}

export interface ReportWarning {
  code: WarningCode;
  message: string;
  /** Added in 1. The image `layer` counts in. */
  image?: string;
  layer?: number;
  offset?: number;
  entry?: string;
}
