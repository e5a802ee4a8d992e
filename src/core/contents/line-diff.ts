// Two versions of a text file as the rows of a unified line diff, with jsdiff (npm `diff`: Myers'
// O(ND) algorithm) doing the diffing. Its `maxEditLength` gives up on two texts too unlike to be
// worth a line diff, so a huge rewrite never stalls the tab; the page then says so. Pure: no DOM.
// The page draws the rows (ui/compare/text-diff.tsx); `strata compare --diff` prints them as the
// hunks of `diff -u` (unifiedHunks).
import { diffLines } from 'diff';
import { splitLines } from './text-lines';

export type DiffSign = ' ' | '-' | '+';

export interface DiffRow {
  sign: DiffSign;
  /** Line numbers in A and in B (1-based); null on the side the line is not in. */
  a: number | null;
  b: number | null;
  text: string;
}

export interface LineDiff {
  rows: DiffRow[];
  added: number;
  removed: number;
}

/** Each side is diffed up to this many bytes (the page and the CLI alike). */
export const DIFF_BYTES = 1024 * 1024;

/** More edits than this and the texts are reported as too different for a line diff. */
export const MAX_EDITS = 1_000;

/** The diff of `a` to `b`, or null when they differ by more than MAX_EDITS lines. */
export function lineDiff(a: string, b: string): LineDiff | null {
  // The timeout is a backstop for pathological input only (long runs of near-equal lines).
  const changes = diffLines(a, b, { maxEditLength: MAX_EDITS, timeout: 2000 });
  if (!changes) return null;
  const rows: DiffRow[] = [];
  let na = 1;
  let nb = 1;
  let added = 0;
  let removed = 0;
  for (const c of changes) {
    for (const text of splitLines(c.value)) {
      if (c.added) { rows.push({ sign: '+', a: null, b: nb++, text }); added++; }
      else if (c.removed) { rows.push({ sign: '-', a: na++, b: null, text }); removed++; }
      else rows.push({ sign: ' ', a: na++, b: nb++, text });
    }
  }
  return { rows, added, removed };
}

/**
 * The rows to draw: every changed row with `context` unchanged rows around it; a longer unchanged
 * run is one `gap` row saying how many lines it hides.
 */
export function withContext(rows: DiffRow[], context = 3): (DiffRow | { gap: number })[] {
  const keep = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    if (r.sign === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) keep[j] = 1;
  });
  const out: (DiffRow | { gap: number })[] = [];
  let gap = 0;
  rows.forEach((r, i) => {
    if (keep[i]) {
      if (gap) out.push({ gap });
      gap = 0;
      out.push(r);
    } else gap++;
  });
  if (gap) out.push({ gap });
  return out;
}

/**
 * The rows as the hunks of a unified diff (`diff -u`, `git diff`): `@@ -a,n +b,m @@` headers (a
 * count of 1 left out, a side with no lines numbered after the line before them), each change with
 * `context` unchanged lines around it, hunks closer than twice that merged. Lines without newlines.
 */
export function unifiedHunks(rows: DiffRow[], context = 3): string[] {
  const out: string[] = [];
  let i = 0;
  const n = rows.length;
  // The last line number of each side before row i.
  let beforeA = 0;
  let beforeB = 0;
  while (i < n) {
    let first = i;
    while (first < n && rows[first]!.sign === ' ') first++;
    if (first === n) break;
    const start = Math.max(i, first - context);
    let end = first;
    for (let j = first; j < n; j++) {
      if (rows[j]!.sign === ' ') continue;
      if (j - end - 1 > 2 * context) break;
      end = j;
    }
    const stop = Math.min(n - 1, end + context);
    for (let j = i; j < start; j++) { beforeA = rows[j]!.a ?? beforeA; beforeB = rows[j]!.b ?? beforeB; }
    const hunk = rows.slice(start, stop + 1);
    const countA = hunk.filter((r) => r.a !== null).length;
    const countB = hunk.filter((r) => r.b !== null).length;
    const range = (before: number, count: number) => (count === 1 ? `${before + 1}` : `${count === 0 ? before : before + 1},${count}`);
    out.push(`@@ -${range(beforeA, countA)} +${range(beforeB, countB)} @@`);
    for (const r of hunk) out.push(`${r.sign}${r.text}`);
    for (const r of hunk) { beforeA = r.a ?? beforeA; beforeB = r.b ?? beforeB; }
    i = stop + 1;
  }
  return out;
}
