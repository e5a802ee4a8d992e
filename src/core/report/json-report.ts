// The `--json` report, shared by the CLI and the page's "Download report". Top-level `image` and
// `layer` follow dive's `--json` export so its consumers keep working; everything of ours lives
// under `strata`. Names here are a public interface: add fields, never rename them.

import type { ArchiveSummary, ImageRecord } from '../image/model';
import type { LoadedImage } from '../pipeline/read-archive';
import { entryPath, entryLink } from '../index/layer-index';
import { EntryKind, type Warning } from '../types';

/** dive's per-image figures, supplied by the merge analysis when it has run. */
export interface DiveFigures {
  image: { sizeBytes: number; inefficientBytes: number; efficiencyScore: number; fileReference: { count: number; sizeBytes: number; file: string }[] };
  layer: { index: number; id: string; digestId: string; sizeBytes: number; command: string; fileList: unknown[] }[];
}

/** Extra per-image and per-layer fields from later analyses, merged under `strata`. */
export interface ImageExtras {
  image?: Record<string, unknown>;
  layers?: Record<string, unknown>[];
}

export interface ReportInput {
  summary: ArchiveSummary;
  images: LoadedImage[];
  /** dive's figures for the first image, when computed. */
  dive?: DiveFigures;
  extras?: ImageExtras[];
}

export function buildReport(input: ReportInput): Record<string, unknown> {
  const { summary, images, dive, extras } = input;
  const report: Record<string, unknown> = {};
  if (dive) {
    report.image = dive.image;
    report.layer = dive.layer;
  }
  report.strata = {
    format: summary.format,
    outerCompression: summary.outerCompression,
    images: summary.images.map((rec, i) => imageReport(rec, images[i], extras?.[i])),
    otherPlatforms: summary.otherPlatforms.map((p) => ({ platform: `${p.platform.os}/${p.platform.architecture}${p.platform.variant ? `/${p.platform.variant}` : ''}`, digest: p.digest })),
    attestations: summary.attestations,
    warnings: summary.warnings.map(warningReport),
  };
  return report;
}

function imageReport(rec: ImageRecord, loaded: LoadedImage | undefined, extra: ImageExtras | undefined) {
  return {
    id: rec.id,
    tags: rec.tags,
    platform: rec.platform ? `${rec.platform.os}/${rec.platform.architecture}${rec.platform.variant ? `/${rec.platform.variant}` : ''}` : null,
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
      ...extra?.layers?.[j],
    })),
  };
}

function warningReport(w: Warning) {
  return {
    code: w.code,
    message: w.message,
    ...(w.layer !== undefined ? { layer: w.layer } : {}),
    ...(w.offset !== undefined ? { offset: w.offset } : {}),
    ...(w.entry !== undefined ? { entry: w.entry } : {}),
  };
}

/** dive's fileList row for one tar entry (its `--json` export shape). */
export function diveFileRow(layer: LoadedImage['layers'][number], i: number) {
  const e = layer.entries;
  const kind = e.kind[i]!;
  return {
    path: entryPath(e, i),
    typeFlag: TYPEFLAG[kind] ?? 48,
    linkName: entryLink(e, i) ?? '',
    size: e.size[i]!,
    fileMode: e.mode[i]!,
    uid: e.uid[i]!,
    gid: e.gid[i]!,
    isDir: kind === EntryKind.dir,
  };
}

const TYPEFLAG: Partial<Record<number, number>> = {
  [EntryKind.file]: 48, [EntryKind.hardlink]: 49, [EntryKind.symlink]: 50, [EntryKind.charDevice]: 51,
  [EntryKind.blockDevice]: 52, [EntryKind.dir]: 53, [EntryKind.fifo]: 54,
};
