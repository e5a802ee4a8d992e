// Lining up the layers of two images. In order of trust: the shared prefix by diff_id (a common
// base), a longest common subsequence of the rest by diff_id (the same layer above a changed one),
// then, between those anchors, by the normalised history step (the same Dockerfile line), then by
// the similarity of the layers' file sets. Each stage works only inside the gaps the previous one
// left, so a layer inserted in the middle pairs with nothing and misaligns nothing above it.

import { bestPairs, lcsPairs } from './lcs';

export type LayerRelation = 'shared' | 'same-content' | 'changed' | 'only-a' | 'only-b';

export interface AlignInput {
  /** diff_id (or the layer's key when it has none), per layer, bottom first. */
  keys: readonly string[];
  /** Normalised history step per layer ('' when unknown: never matches). */
  steps: readonly string[];
}

export interface AlignHooks {
  /** Same paths, types, sizes, modes, owners and content hashes. */
  sameContent(i: number, j: number): boolean;
  /** 0..1: how alike the two layers' file sets are. */
  similarity(i: number, j: number): number;
}

export interface AlignedRow {
  relation: LayerRelation;
  a: number | null;
  b: number | null;
}

/** Below this, two layers are not called the same step rebuilt: the mean of the path and
 *  path+content Jaccard estimates, so 0.25 is e.g. half the paths kept with all their bytes new. */
export const SIMILARITY_THRESHOLD = 0.25;

export function alignLayers(a: AlignInput, b: AlignInput, hooks: AlignHooks): AlignedRow[] {
  const n = a.keys.length;
  const m = b.keys.length;
  let prefix = 0;
  while (prefix < n && prefix < m && a.keys[prefix] === b.keys[prefix]) prefix++;
  const pairs: [number, number, 'key' | 'other'][] = [];
  for (let i = 0; i < prefix; i++) pairs.push([i, i, 'key']);

  const byKey = lcsPairs(n - prefix, m - prefix, (i, j) => a.keys[prefix + i] === b.keys[prefix + j]);
  const anchors: [number, number][] = byKey.map(([i, j]) => [prefix + i, prefix + j]);
  let ai = prefix;
  let bj = prefix;
  for (const [i, j] of [...anchors, [n, m] as [number, number]]) {
    for (const [x, y] of alignGap(a, b, hooks, ai, i, bj, j)) pairs.push([x, y, 'other']);
    if (i < n) pairs.push([i, j, 'key']);
    ai = i + 1;
    bj = j + 1;
  }
  return rowsFrom(pairs, n, m, hooks);
}

/** Pairs inside A[a0, a1) x B[b0, b1): by step first, then by similarity between step anchors. */
function alignGap(a: AlignInput, b: AlignInput, hooks: AlignHooks, a0: number, a1: number, b0: number, b1: number): [number, number][] {
  if (a1 <= a0 || b1 <= b0) return [];
  const bySteps = lcsPairs(a1 - a0, b1 - b0, (i, j) => a.steps[a0 + i] !== '' && a.steps[a0 + i] === b.steps[b0 + j])
    .map(([i, j]): [number, number] => [a0 + i, b0 + j]);
  const out: [number, number][] = [];
  let ai = a0;
  let bj = b0;
  for (const [i, j] of [...bySteps, [a1, b1] as [number, number]]) {
    const n = i - ai;
    const m = j - bj;
    if (n > 0 && m > 0) {
      const start = [ai, bj] as const;
      for (const [x, y] of bestPairs(n, m, (x, y) => hooks.similarity(start[0] + x, start[1] + y), SIMILARITY_THRESHOLD)) {
        out.push([start[0] + x, start[1] + y]);
      }
    }
    if (i < a1) out.push([i, j]);
    ai = i + 1;
    bj = j + 1;
  }
  return out;
}

/** Rows bottom-up: the unpaired layers of each gap (A's first), then the pair closing it. */
function rowsFrom(pairs: [number, number, 'key' | 'other'][], n: number, m: number, hooks: AlignHooks): AlignedRow[] {
  pairs.sort((x, y) => x[0] - y[0]);
  const rows: AlignedRow[] = [];
  let ai = 0;
  let bj = 0;
  for (const [i, j, how] of [...pairs, [n, m, 'other'] as [number, number, 'other']]) {
    for (; ai < i; ai++) rows.push({ relation: 'only-a', a: ai, b: null });
    for (; bj < j; bj++) rows.push({ relation: 'only-b', a: null, b: bj });
    if (i < n && j < m) {
      const relation = how === 'key' ? 'shared' : hooks.sameContent(i, j) ? 'same-content' : 'changed';
      rows.push({ relation, a: i, b: j });
    }
    ai = i + 1;
    bj = j + 1;
  }
  return rows;
}
