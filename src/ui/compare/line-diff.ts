// Two versions of a text file as the rows of a unified line diff, with jsdiff (npm `diff`: Myers'
// O(ND) algorithm) doing the diffing. Its `maxEditLength` gives up on two texts too unlike to be
// worth a line diff, so a huge rewrite never stalls the tab; the page then says so. Pure: no DOM.
import { diffLines } from 'diff';
import { splitLines } from '../details/text-lines';

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
