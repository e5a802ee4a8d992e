// Formatting of sizes, modes and Dockerfile steps for display. Pure functions. Sizes, modes and
// steps are formatted by core/format.ts, shared with the command line.
export { formatBytes, formatMode, trimCommand } from '../core/format';


/** 1234 -> 1.2k, 202202 -> 202k: counts in tight places. */
export function formatCompact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

// One formatter: `toLocaleString` builds a new one per call (the treemap's tab formats hundreds).
const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(n: number | undefined): string {
  return n === undefined ? '—' : COUNT.format(n);
}

/** A percentage that never rounds up to 100% (or down to 0%) when it is not exactly that. */
export function formatPercent(fraction: number, digits = 1): string {
  let d = digits;
  let s = (fraction * 100).toFixed(d);
  while (d < 4 && ((fraction < 1 && Number(s) >= 100) || (fraction > 0 && Number(s) === 0))) s = (fraction * 100).toFixed(++d);
  return `${s}%`;
}


export const TYPE_NAMES: Record<string, string> = {
  '-': 'file', d: 'directory', l: 'symlink', h: 'hard link', c: 'character device', b: 'block device', p: 'FIFO',
};

