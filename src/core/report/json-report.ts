// The `--json` report, shared by the CLI and the page's "Download report". Top-level `image` and
// `layer` follow dive's `--json` export so its consumers keep working; everything of ours lives
// under `strata`. The format is declared in report-format.ts: add fields there, never rename them.

import type { ArchiveSummary, ImageRecord } from '../image/model';
import type { LoadedImage } from '../pipeline/read-archive';
import { formatPlatform, type Warning } from '../types';
import {
  REPORT_SCHEMA, REPORT_VERSION,
  type DiveImage, type DiveLayer, type ImageAnalysisFields, type LayerAnalysisFields, type ReportImage, type ReportWarning, type StrataReport,
} from './report-format';

/** dive's `image` and `layer` keys for one image. */
export interface DiveFigures { image: DiveImage; layer: DiveLayer[] }

/** The fields the merge analyses add to an image and its layers (extras.ts). */
export interface ImageExtras {
  image: ImageAnalysisFields;
  layers: LayerAnalysisFields[];
}

export interface ReportInput {
  summary: ArchiveSummary;
  images: LoadedImage[];
  /** dive's figures for the first image, when computed. */
  dive?: DiveFigures;
  /** Per image, in summary order, when analysed. */
  extras?: ImageExtras[];
  /** The merges' warnings, each naming its image, after the archive's own. */
  mergeWarnings?: Warning[];
}

export function buildReport(input: ReportInput): StrataReport {
  const { summary, images, dive, extras, mergeWarnings = [] } = input;
  return {
    $schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    ...(dive ? { image: dive.image, layer: dive.layer } : {}),
    strata: {
      format: summary.format,
      outerCompression: summary.outerCompression,
      images: summary.images.map((rec, i) => imageReport(rec, images[i], extras?.[i])),
      otherPlatforms: summary.otherPlatforms.map((p) => ({ platform: formatPlatform(p.platform), digest: p.digest })),
      attestations: summary.attestations,
      warnings: [...summary.warnings, ...mergeWarnings].map(warningReport),
    },
  };
}

function imageReport(rec: ImageRecord, loaded: LoadedImage | undefined, extra: ImageExtras | undefined): ReportImage {
  return {
    id: rec.id,
    tags: rec.tags,
    platform: rec.platform ? formatPlatform(rec.platform) : null,
    configDigest: rec.configDigest ?? null,
    manifestDigest: rec.manifestDigest ?? null,
    config: rec.config,
    history: rec.history,
    ...extra?.image,
    layers: rec.layers.map((l, j) => ({
      index: l.index,
      diffId: l.diffId ?? null,
      digest: l.digest ?? null,
      mediaType: l.mediaType ?? null,
      compression: l.compression,
      compressedSize: l.compressedSize,
      uncompressedSize: l.uncompressedSize ?? null,
      files: loaded?.layers[j]?.files ?? null,
      command: l.command,
      verification: l.verification,
      ...extra?.layers[j],
    })),
  };
}

function warningReport(w: Warning): ReportWarning {
  return {
    code: w.code,
    message: w.message,
    ...(w.image !== undefined ? { image: w.image } : {}),
    ...(w.layer !== undefined ? { layer: w.layer } : {}),
    ...(w.offset !== undefined ? { offset: w.offset } : {}),
    ...(w.entry !== undefined ? { entry: w.entry } : {}),
  };
}
