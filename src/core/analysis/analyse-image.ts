// Every analysis of one loaded image, in one place, so the CLI and the engine worker give the same
// answers: merge the layers, dive's figures, reclaimable bytes, per-layer change counts, packages
// and findings.

import { EntryKind } from '../types';
import { FINAL, mergeLayers, ROOT, type MergedImage } from '../merge';
import { hashOf } from '../merge/entry-compare';
import type { LoadedImage } from '../pipeline/read-archive';
import type { LayerResult } from '../pipeline/index-layer';
import { diveAnalysis, type DiveAnalysis } from './dive';
import { layerChangeStats, reclaimable, REASONS, type LayerChangeStats, type Reclaimable } from './reclaimable';
import { attributePackages } from '../packages';
import type { InstalledPackage } from '../packages/types';
import { findWaste, type Finding } from '../findings';
import type { RemovedFile, WasteFile } from '../findings/types';
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

  const files = finalFiles(merged);
  const captures = image.layers.flatMap((l) => (results.get(l.key)?.captures ?? []).map((c) => ({ ...c, layer: l.index })));
  const attribution = attributePackages({ files, captures });
  const findings = findWaste({
    files,
    removed: removedFiles(merged, reclaim),
    commands,
    packages: attribution.packages,
    owners: attribution.owners,
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

/**
 * Regular files (and hard links) of the final filesystem. A hard link's bytes are its target's, so
 * it is listed with size 0: counting it again would double the target's bytes. Read straight from
 * the columns (no attribute objects), each path built from its parent's: on a 240k-file image this
 * list was 79% of the analysis.
 */
export function finalFiles(merged: MergedImage): WasteFile[] {
  const out: WasteFile[] = [];
  const { present, curWrite } = merged.state;
  const ev = merged.events;
  let dir = -1;
  let dirPath = '';
  for (const node of merged.listAll(FINAL)) {
    if (!present[node]) continue;
    const w = curWrite[node]!;
    const e = ev.entry[w]!;
    if (e < 0) continue; // an implied directory
    const layer = ev.layer[w]!;
    const kind = merged.layers[layer]!.kind[e]!;
    if (kind !== EntryKind.file && kind !== EntryKind.hardlink) continue;
    const parent = merged.nodes.parent[node]!;
    if (parent !== dir) {
      dir = parent;
      dirPath = parent === ROOT ? '' : `${merged.path(parent)}/`;
    }
    const size = kind === EntryKind.file ? ev.bytes[w]! : 0;
    const h = kind === EntryKind.file && size > 0 ? hashOf(merged.layers, ev, w) : undefined;
    out.push({
      path: dirPath + merged.nodes.name(node),
      size,
      layer,
      ...(h ? { hash: h[0].toString(16).padStart(8, '0') + h[1].toString(16).padStart(8, '0') } : {}),
    });
  }
  return out;
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
