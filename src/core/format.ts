// Human-readable figures and labels, shared by the CLI and the page. Pure functions.

/** Decimal units, as `docker images` and dive print them; '—' when unknown. */
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

const RWX = ['---', '--x', '-w-', '-wx', 'r--', 'r-x', 'rw-', 'rwx'];

/** `ls -l` style permission string, e.g. 0o755 -> `rwxr-xr-x`, with setuid/setgid/sticky. */
export function formatMode(mode: number): string {
  // A table per triplet: `--ls` formats a million of these.
  let user = RWX[(mode >> 6) & 7]!;
  let group = RWX[(mode >> 3) & 7]!;
  let other = RWX[mode & 7]!;
  if (mode & 0o4000) user = user.slice(0, 2) + (mode & 0o100 ? 's' : 'S');
  if (mode & 0o2000) group = group.slice(0, 2) + (mode & 0o010 ? 's' : 'S');
  if (mode & 0o1000) other = other.slice(0, 2) + (mode & 0o001 ? 't' : 'T');
  return user + group + other;
}

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

// What a terminal acts on or what hides and reorders text: C0 controls, DEL and C1 controls (ESC
// and CSI start escape sequences; a newline breaks one-entry-per-line output), the bidirectional
// overrides and isolates ("Trojan Source", CVE-2021-42574), zero-width characters, line and
// paragraph separators and the BOM. And the backslash, so that an escape is never ambiguous.
const UNSAFE = /[\u0000-\u001f\u005c\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const SHORT_ESCAPES: Record<number, string> = {
  0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x5c: '\\\\',
};
const utf8 = new TextEncoder();

/**
 * A name or command from an image, made safe to print on a terminal, as GNU `ls` and
 * `tar --quoting-style=escape` print names: `\n`, `\t` and the other C escapes, a backslash as
 * `\\`, and every other byte of an unsafe character as `\ooo` (ESC is `\033`). Printable text,
 * spaces and non-ASCII letters included, is unchanged.
 */
export function quoteForTerminal(s: string): string {
  if (!UNSAFE.test(s)) return s;
  let out = '';
  for (const ch of s) {
    if (!UNSAFE.test(ch)) { out += ch; continue; }
    const code = ch.codePointAt(0)!;
    const short = SHORT_ESCAPES[code];
    if (short) { out += short; continue; }
    for (const b of utf8.encode(ch)) out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}
