// Comparing two loaded images: the one entry the CLI and the engine worker call. Takes each image
// with its analysis (merged filesystem, packages) and returns columns and small rows; report.ts
// turns them into the JSON report.

import type { ImageAnalysisResult } from '../analysis/analyse-image';
import type { LoadedImage } from '../pipeline/read-archive';
import { alignLayers, type AlignedRow } from './align-layers';
import { diffConfig, diffHistory, type ConfigDiffRow, type HistoryDiffRow } from './diff-config';
import { diffFiles, type FileDiff, type FileDiffOptions } from './diff-files';
import { diffPackages, type PackageDiffRow } from './diff-packages';
import { layerSignature, layerSketch, sameSignature, similarity, type LayerSignature, type LayerSketch } from './layer-signature';
import { normaliseStep } from './normalise-step';
import { rebuiltByUpdate } from './rebuilt';
import type { ComparePull, CompareRebuilt } from './types';

export interface CompareInput {
  /** What the user named: `v1.tar`, `v1.tar#1`, later a registry reference. */
  name: string;
  image: LoadedImage;
  analysis: ImageAnalysisResult;
}

export type CompareOptions = FileDiffOptions;

export interface ImageComparison {
  a: CompareInput;
  b: CompareInput;
  options: Required<Pick<CompareOptions, 'includeMtime'>> & { ignore: string[] };
  layers: AlignedRow[];
  files: FileDiff;
  packages: PackageDiffRow[];
  config: ConfigDiffRow[];
  history: HistoryDiffRow[];
  pull: ComparePull;
  rebuilt: CompareRebuilt;
}

export function compareImages(a: CompareInput, b: CompareInput, opts: CompareOptions = {}): ImageComparison {
  const options = { includeMtime: opts.includeMtime ?? false, ignore: [...(opts.ignore ?? [])] };
  return {
    a, b, options,
    layers: alignImageLayers(a.image, b.image),
    files: diffFiles(a.analysis.merged, b.analysis.merged, options),
    packages: diffPackages(a.analysis.packages, b.analysis.packages),
    config: diffConfig(a.image.record, b.image.record),
    history: diffHistory(a.image.record.history, b.image.record.history),
    pull: pullCost(a.image, b.image),
    rebuilt: rebuiltByUpdate(a, b),
  };
}

function alignImageLayers(a: LoadedImage, b: LoadedImage): AlignedRow[] {
  const facts = (img: LoadedImage) => {
    const sigs = new Map<number, LayerSignature>();
    const sketches = new Map<number, LayerSketch>();
    return {
      keys: img.layers.map((l) => l.key),
      steps: img.layers.map((l) => normaliseStep(l.command)),
      sig: (i: number) => memo(sigs, i, () => layerSignature(img.layers[i]!.entries)),
      sketch: (i: number) => memo(sketches, i, () => layerSketch(img.layers[i]!.entries)),
    };
  };
  const fa = facts(a);
  const fb = facts(b);
  return alignLayers(fa, fb, {
    sameContent: (i, j) => sameSignature(fa.sig(i), fb.sig(j)),
    similarity: (i, j) => similarity(fa.sketch(i), fb.sketch(j)),
  });
}

function memo<T>(m: Map<number, T>, k: number, make: () => T): T {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
}

/** Stored bytes of the distinct layers one image has and the other lacks (by diff_id). */
export function pullCost(a: LoadedImage, b: LoadedImage): ComparePull {
  const missing = (have: LoadedImage, want: LoadedImage): [number, number] => {
    const held = new Set(have.layers.map((l) => l.key));
    const seen = new Set<string>();
    let bytes = 0;
    for (const l of want.layers) {
      if (held.has(l.key) || seen.has(l.key)) continue;
      seen.add(l.key);
      bytes += l.compressedSize;
    }
    return [bytes, seen.size];
  };
  const [bytesForBGivenA, layersForBGivenA] = missing(a, b);
  const [bytesForAGivenB, layersForAGivenB] = missing(b, a);
  return { bytesForBGivenA, bytesForAGivenB, layersForBGivenA, layersForAGivenB };
}
