// The `strata` fields each analysis adds to an image in the `--json` report, and dive's keys.

import type { ImageAnalysisResult } from '../analysis/analyse-image';
import type { DiveFigures, ImageExtras } from './json-report';
import type { LoadedImage } from '../pipeline/read-archive';
import { diveFileList, diveSummary } from '../analysis/dive';
import type { Warning } from '../types';

/** Rows of the package and findings lists kept in the report: enough to act on, bounded in size. */
const MAX_PACKAGES = 5000;

export function imageExtras(a: ImageAnalysisResult): ImageExtras {
  return {
    image: {
      reclaimableBytes: a.reclaim.totalBytes,
      reclaimableByReason: a.reclaim.byReason,
      dive: {
        ...diveSummary(a.dive),
        fileReference: a.dive.fileReference,
        layers: a.dive.layers.map((l) => ({ index: l.index, sizeBytes: l.sizeBytes, command: l.command })),
      },
      packages: a.packages.slice(0, MAX_PACKAGES).map((p) => ({
        name: p.name, version: p.version, ecosystem: p.ecosystem, bytes: p.bytes, files: p.files, layer: p.layer,
      })),
      unownedFiles: a.unowned,
      findings: a.findings.map((f) => ({
        kind: f.kind, bytes: f.bytes, layer: f.layer, files: f.files, paths: f.paths, fix: f.fix,
        ...(f.step !== undefined ? { step: f.step } : {}),
        ...(f.removedBy !== undefined ? { removedBy: f.removedBy } : {}),
      })),
    },
    layers: a.layerStats.map((s) => ({
      reclaimableBytes: s.reclaimableBytes,
      added: s.added,
      modified: s.modified,
      removed: s.removed,
      metadataOnly: s.meta,
      unchangedRewrites: s.unchanged,
      removedBytes: s.removedBytes,
    })),
  };
}

/** dive's `image` and `layer` keys for one image (its `--json` export shape). */
export function diveFigures(image: LoadedImage, a: ImageAnalysisResult): DiveFigures {
  return {
    image: {
      sizeBytes: a.dive.sizeBytes,
      inefficientBytes: a.dive.inefficientBytes,
      efficiencyScore: a.dive.efficiencyScore,
      fileReference: a.dive.fileReference,
    },
    layer: a.dive.layers.map((l, j) => ({
      index: l.index,
      id: image.record.layers[j]?.diffId?.slice('sha256:'.length) ?? image.record.layers[j]?.key ?? '',
      digestId: image.record.layers[j]?.diffId ?? '',
      sizeBytes: l.sizeBytes,
      command: l.command,
      fileList: diveFileList(a.merged, j).map((path) => ({ path })),
    })),
  };
}

/** Everything the report adds for a read archive's analysed images: dive's keys from the first. */
export function reportParts(images: readonly LoadedImage[], analyses: readonly ImageAnalysisResult[]): { dive?: DiveFigures; extras: ImageExtras[]; mergeWarnings: Warning[] } {
  const first = images[0];
  const a0 = analyses[0];
  return {
    extras: analyses.map(imageExtras),
    mergeWarnings: analyses.flatMap((a, k) => mergeWarnings(images[k], a)),
    ...(first && a0 ? { dive: diveFigures(first, a0) } : {}),
  };
}

/**
 * What the merge of one image warned about (paths applied through a symlink, symlink loops), tagged
 * with the image: they change what the merged filesystem shows, so the report carries them.
 */
export function mergeWarnings(image: LoadedImage | undefined, a: ImageAnalysisResult): Warning[] {
  return a.merged.state.warnings.map((w) => (image ? { ...w, image: image.record.id } : w));
}
