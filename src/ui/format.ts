// Formatting of sizes, modes and Dockerfile steps for display. Pure functions.

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

/** 1234 -> 1.2k, 202202 -> 202k: counts in tight places. */
export function formatCompact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function formatCount(n: number | undefined): string {
  return n === undefined ? '—' : n.toLocaleString('en-US');
}

/** A percentage that never rounds up to 100% (or down to 0%) when it is not exactly that. */
export function formatPercent(fraction: number, digits = 1): string {
  let d = digits;
  let s = (fraction * 100).toFixed(d);
  while (d < 4 && ((fraction < 1 && Number(s) >= 100) || (fraction > 0 && Number(s) === 0))) s = (fraction * 100).toFixed(++d);
  return `${s}%`;
}

/** `ls -l` style permission string, e.g. 0o755 -> `rwxr-xr-x`, with setuid/setgid/sticky. */
export function formatMode(mode: number): string {
  const bits = 'rwxrwxrwx';
  let s = '';
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : '-';
  const chars = s.split('');
  if (mode & 0o4000) chars[2] = chars[2] === 'x' ? 's' : 'S';
  if (mode & 0o2000) chars[5] = chars[5] === 'x' ? 's' : 'S';
  if (mode & 0o1000) chars[8] = chars[8] === 'x' ? 't' : 'T';
  return chars.join('');
}

export const TYPE_NAMES: Record<string, string> = {
  '-': 'file', d: 'directory', l: 'symlink', h: 'hard link', c: 'character device', b: 'block device', p: 'FIFO',
};

/**
 * A history step as a Dockerfile instruction: drops the `/bin/sh -c #(nop) ` prefix of classic
 * builder steps, turns `/bin/sh -c cmd` into `RUN cmd`, and the BuildKit `# buildkit` suffix.
 */
export function trimCommand(createdBy: string): string {
  let s = createdBy.trim();
  s = s.replace(/^\/bin\/sh -c #\(nop\)\s*/, '');
  s = s.replace(/^#\(nop\)\s*/, '');
  if (/^\/bin\/sh -c /.test(s)) s = 'RUN ' + s.slice('/bin/sh -c '.length);
  s = s.replace(/^RUN \/bin\/(ba)?sh -c /, 'RUN ');
  s = s.replace(/^\|\d+ .*?\/bin\/sh -c /, 'RUN ');
  s = s.replace(/\s*# buildkit$/, '');
  return s.trim() || '(unknown step)';
}

/** The instruction keyword of a trimmed command, e.g. `RUN`, or '' when there is none. */
export function instructionOf(command: string): string {
  const m = /^([A-Z]+)\b/.exec(command);
  return m?.[1] ?? '';
}

export function shortDigest(d: string | undefined, n = 12): string {
  if (!d) return '—';
  const hex = d.replace(/^sha256:/, '');
  return hex.slice(0, n);
}
