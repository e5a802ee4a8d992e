// "Rebuilt by this update": a build reuses every layer below the first step that changed and
// rebuilds every layer from there up. Of those, the ones whose diff_id A lacks are what the update
// costs in pushes and pulls; the others came out byte-identical (a registry already holds them).

import type { CompareInput } from './compare-images';
import type { CompareRebuilt, CompareRebuiltLayer } from './types';

export function rebuiltByUpdate(a: CompareInput, b: CompareInput): CompareRebuilt {
  const first = firstChangedStep(a, b);
  const empty: CompareRebuilt = { firstChangedStep: null, layers: [], sizeBytes: 0, storedBytes: 0, unchangedLayers: 0 };
  if (!first) return empty;
  const held = new Set(a.image.layers.map((l) => l.key));
  const seen = new Set<string>();
  const layers: CompareRebuiltLayer[] = [];
  let unchangedLayers = 0;
  for (const l of b.image.layers.slice(first.layer ?? b.image.layers.length)) {
    if (held.has(l.key)) { unchangedLayers++; continue; }
    if (seen.has(l.key)) continue; // one blob, pushed once
    seen.add(l.key);
    layers.push({
      index: l.index,
      diffId: l.diffId ?? null,
      command: l.command,
      sizeBytes: b.analysis.dive.layers[l.index]?.sizeBytes ?? 0,
      compressedSize: Number.isFinite(l.compressedSize) ? l.compressedSize : null,
    });
  }
  return {
    firstChangedStep: first,
    layers,
    sizeBytes: layers.reduce((s, l) => s + l.sizeBytes, 0),
    storedBytes: layers.reduce((s, l) => s + (l.compressedSize ?? 0), 0),
    unchangedLayers,
  };
}

/**
 * B's first step that A's build would not have cached: the first history entry whose instruction
 * differs, or whose layer has another diff_id (the same RUN over changed files below, or a COPY of
 * changed files). Without history on both sides, the first layer whose diff_id differs. Null when
 * B's steps are all A's (B is A, or A with steps on top removed).
 */
function firstChangedStep(a: CompareInput, b: CompareInput): CompareRebuilt['firstChangedStep'] {
  const ha = a.image.record.history;
  const hb = b.image.record.history;
  const la = a.image.layers;
  const lb = b.image.layers;
  const covers = (h: typeof ha, n: number) => h.length > 0 && h.filter((s) => s.layer !== null).length === n;
  if (covers(ha, la.length) && covers(hb, lb.length)) {
    for (let k = 0; k < hb.length; k++) {
      const sb = hb[k]!;
      const sa = ha[k];
      const same = sa !== undefined && sa.createdBy === sb.createdBy && (sa.layer === null) === (sb.layer === null)
        && (sb.layer === null || la[sa.layer!]?.key === lb[sb.layer]!.key);
      if (same) continue;
      // An empty step (ENV, WORKDIR) changes no layer itself: the rebuild starts at the next layer.
      const layer = sb.layer ?? hb.slice(k).find((s) => s.layer !== null)?.layer ?? null;
      return { history: k, layer, command: sb.createdBy };
    }
    return null;
  }
  for (let i = 0; i < lb.length; i++) {
    if (la[i]?.key !== lb[i]!.key) return { history: null, layer: i, command: lb[i]!.command };
  }
  return null;
}
