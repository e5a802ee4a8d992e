// Every analysis of one loaded image, in one place, so the CLI and the engine worker give the same
// answers: merge the layers, dive's figures, reclaimable bytes, per-layer change counts, packages
// and findings.

import { EntryKind } from '../types';
import { mergeLayers, type MergedImage } from '../merge';
import type { LoadedImage } from '../pipeline/read-archive';
import type { LayerResult } from '../pipeline/index-layer';
import { diveAnalysis, type DiveAnalysis } from './dive';
import { layerChangeStats, reclaimable, REASONS, type LayerChangeStats, type Reclaimable } from './reclaimable';
import { attributePackages } from '../packages';
import type { InstalledPackage } from '../packages/types';
import { findWaste, type Finding } from '../findings';
import type { RemovedFile } from '../findings/types';
import { FinalFiles } from './final-files';
import type { Warning } from '../types';
import type { LayerIndex } from '../index/layer-index';
import { getString } from '../index/string-table';

export interface ImageAnalysisResult {
  merged: MergedImage;
  dive: DiveAnalysis;
  reclaim: Reclaimable;
  layerStats: LayerChangeStats[];
  packages: InstalledPackage[];
  unowned: { bytes: number; files: number };
  findings: Finding[];
  warnings: Warning[];
}

export interface AnalyseOptions {
  /**
   * The merge and the per-layer figures only (no packages, no findings): what a tree over a prefix
   * of the layers needs while the rest is still being read. The final analysis does it all.
   */
  treeOnly?: boolean;
}

export function analyseImage(image: LoadedImage, results: ReadonlyMap<string, LayerResult>, opts: AnalyseOptions = {}): ImageAnalysisResult {
  const merged = mergeLayers(image.layers.map((l) => l.entries));
  const commands = image.record.layers.map((l) => l.command);
  const dive = diveAnalysis(merged, commands);
  const reclaim = reclaimable(merged);
  const layerStats = layerChangeStats(merged, reclaim);
  if (opts.treeOnly) return { merged, dive, reclaim, layerStats, packages: [], unowned: { bytes: 0, files: 0 }, findings: [], warnings: [] };

  const files = new FinalFiles(merged);
  const captures = image.layers.flatMap((l) => (results.get(l.key)?.captures ?? []).map((c) => ({ ...c, layer: l.index })));
  const attribution = attributePackages({ files, captures });
  const findings = findWaste({
    files,
    removed: removedFiles(merged, reclaim),
    commands,
    packages: attribution.packages,
    fileOwners: attribution.fileOwners,
    config: image.record.config,
    layers: image.layers.map((l, i) => ({
      command: l.command, bytes: dive.layers[i]?.sizeBytes ?? 0, files: () => layerFiles(l.entries),
    })),
  });
  return {
    merged, dive, reclaim, layerStats,
    packages: attribution.packages,
    unowned: attribution.unowned,
    findings,
    warnings: attribution.warnings,
  };
}

/** Regular files (and hard links) of the final filesystem, as columns (see FinalFiles). */
export function finalFiles(merged: MergedImage): FinalFiles {
  return new FinalFiles(merged);
}

/** A layer's regular files as its tar lists them (hidden or not by later layers), for the caching findings. */
function* layerFiles(x: LayerIndex): Iterable<{ path: string; size: number }> {
  for (let e = 0; e < x.count; e++) {
    if (x.kind[e] === EntryKind.file) yield { path: getString(x.strings, x.path[e]!), size: x.size[e]! };
  }
}

/** Copies a later layer removed or overwrote, with the layer that did it. */
export function removedFiles(merged: MergedImage, r: Reclaimable): RemovedFile[] {
  const out: RemovedFile[] = [];
  for (let i = 0; i < r.rows.count; i++) {
    const reason = REASONS[r.rows.reason[i]!];
    if (reason !== 'overwritten' && reason !== 'removed') continue;
    const node = r.rows.node[i]!;
    const layer = r.rows.layer[i]!;
    out.push({ path: merged.path(node), size: r.rows.bytes[i]!, layer, removedBy: hiddenBy(merged, node, layer) });
  }
  return out;
}

/** The first layer above `layer` that touched the node or, for a removed directory, an ancestor. */
function hiddenBy(merged: MergedImage, node: number, layer: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let n = node; n > 0; n = merged.nodes.parent[n]!) {
    for (const h of merged.history(n)) {
      if (h.layer > layer && (n === node || h.change === 'removed')) { best = Math.min(best, h.layer); break; }
    }
  }
  return Number.isFinite(best) ? best : layer;
}
