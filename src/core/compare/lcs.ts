// Longest common subsequence of two short sequences (layers, history steps: at most a few hundred),
// as index pairs in order. Quadratic table, no recursion.

/** Pairs (i, j) with eq(i, j), increasing in both, as many as possible. */
export function lcsPairs(n: number, m: number, eq: (i: number, j: number) => boolean): [number, number][] {
  const w = m + 1;
  const t = new Int32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = eq(i, j) ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
    }
  }
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (eq(i, j) && t[i * w + j] === t[(i + 1) * w + j + 1]! + 1) out.push([i++, j++]);
    else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) i++;
    else j++;
  }
  return out;
}

/**
 * Order-preserving pairs maximising the summed score, where only scores >= threshold may pair
 * (Needleman-Wunsch with free gaps).
 */
export function bestPairs(n: number, m: number, score: (i: number, j: number) => number, threshold: number): [number, number][] {
  const w = m + 1;
  const t = new Float64Array((n + 1) * w);
  const s = new Float64Array(n * m);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const v = score(i, j);
      s[i * m + j] = v;
      const diag = v >= threshold ? t[(i + 1) * w + j + 1]! + v : -1;
      t[i * w + j] = Math.max(diag, t[(i + 1) * w + j]!, t[i * w + j + 1]!);
    }
  }
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const v = s[i * m + j]!;
    if (v >= threshold && t[i * w + j] === t[(i + 1) * w + j + 1]! + v) out.push([i++, j++]);
    else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) i++;
    else j++;
  }
  return out;
}
