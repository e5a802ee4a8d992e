// Version order per ecosystem, to tell an upgrade from a downgrade. Each follows its tool's rules:
//   deb   - dpkg's `verrevcmp` (Debian Policy 5.6.12: epoch, upstream, revision; `~` sorts first)
//   apk   - apk-tools' version format (digits, a letter, `_alpha`..`_p` suffixes, `-rN`)
//   pip   - PEP 440 ("Version scheme": epoch, release, pre, post, dev, local)
//   conda - PEP 440 when the string is one, else dpkg's alphanumeric order (`1.1.1w`)
//   npm   - SemVer 2.0.0 (section 11: precedence; build metadata ignored)
// A string its scheme cannot parse falls back to dpkg's order, which orders any mix of digit runs
// and other characters sensibly, so a comparison never throws.

import type { Ecosystem } from '../packages/types';

/** Negative when a < b, 0 when equal in the ecosystem's order, positive when a > b. */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number {
  if (a === b) return 0;
  switch (ecosystem) {
    case 'deb': return compareDpkg(a, b);
    case 'apk': return compareApk(a, b);
    case 'pip': return comparePep440(a, b);
    case 'conda': return comparePep440(a, b);
    case 'npm': return compareSemver(a, b);
  }
}

/** Two runs of digits as numbers of any length: no precision lost past 2^53. */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** dpkg's `order()`: `~` before the end of the string, letters before everything else. */
function dpkgOrder(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1; // '~'
  return c + 256;
}

/** dpkg's `verrevcmp`: alternating non-digit and digit runs. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const d = dpkgOrder(a, i) - dpkgOrder(b, j);
      if (d !== 0) return d;
      i++;
      j++;
    }
    const si = i;
    const sj = j;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    const d = compareDigits(a.slice(si, i), b.slice(sj, j));
    if (d !== 0) return d;
  }
  return 0;
}

function splitDpkg(v: string): [epoch: string, upstream: string, revision: string] {
  const colon = v.indexOf(':');
  const hasEpoch = colon > 0 && /^\d+$/.test(v.slice(0, colon));
  const rest = hasEpoch ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return [hasEpoch ? v.slice(0, colon) : '0', dash > 0 ? rest.slice(0, dash) : rest, dash > 0 ? rest.slice(dash + 1) : ''];
}

export function compareDpkg(a: string, b: string): number {
  const [ea, ua, ra] = splitDpkg(a);
  const [eb, ub, rb] = splitDpkg(b);
  return compareDigits(ea, eb) || verrevcmp(ua, ub) || verrevcmp(ra, rb);
}

// apk-tools `version.c`: pre-release suffixes sort below the bare version, post ones above it.
const APK_SUFFIX: Record<string, number> = { alpha: 0, beta: 1, pre: 2, rc: 3, '': 4, cvs: 5, svn: 6, git: 7, hg: 8, p: 9 };
const APK_RE = /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:-r(\d+))?$/;

interface ApkVersion { nums: string[]; letter: string; suffixes: [number, string][]; rev: string }

function parseApk(v: string): ApkVersion | undefined {
  const m = APK_RE.exec(v);
  if (!m) return undefined;
  const suffixes: [number, string][] = [];
  for (const s of m[3]!.split('_').slice(1)) {
    const name = /^[a-z]+/.exec(s)![0];
    suffixes.push([APK_SUFFIX[name]!, s.slice(name.length) || '0']);
  }
  return { nums: m[1]!.split('.'), letter: m[2]!, suffixes, rev: m[4] ?? '0' };
}

/** apk compares a component after the first with a leading zero as a fraction (`1.02` < `1.1`). */
function compareApkNumber(a: string, b: string, first: boolean): number {
  if (!first && (a.startsWith('0') || b.startsWith('0'))) return a < b ? -1 : a > b ? 1 : 0;
  return compareDigits(a, b);
}

export function compareApk(a: string, b: string): number {
  const x = parseApk(a);
  const y = parseApk(b);
  if (!x || !y) return verrevcmp(a, b);
  const n = Math.min(x.nums.length, y.nums.length);
  for (let i = 0; i < n; i++) {
    const d = compareApkNumber(x.nums[i]!, y.nums[i]!, i === 0);
    if (d !== 0) return d;
  }
  if (x.nums.length !== y.nums.length) return x.nums.length - y.nums.length;
  if (x.letter !== y.letter) return x.letter < y.letter ? -1 : 1;
  const m = Math.max(x.suffixes.length, y.suffixes.length);
  for (let i = 0; i < m; i++) {
    const [ra, na] = x.suffixes[i] ?? [APK_SUFFIX['']!, '0'];
    const [rb, nb] = y.suffixes[i] ?? [APK_SUFFIX['']!, '0'];
    if (ra !== rb) return ra - rb;
    const d = compareDigits(na, nb);
    if (d !== 0) return d;
  }
  return compareDigits(x.rev, y.rev);
}

// PEP 440, appendix B's regular expression, case-insensitive.
const PEP440_RE = new RegExp(
  '^v?(?:(?<epoch>\\d+)!)?(?<release>\\d+(?:\\.\\d+)*)' +
  '(?:[-_.]?(?<preL>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<preN>\\d+)?)?' +
  '(?:-(?<postN1>\\d+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>\\d+)?)?' +
  '(?:[-_.]?(?<devL>dev)[-_.]?(?<devN>\\d+)?)?' +
  '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);

interface Pep440 {
  epoch: string;
  release: string[];
  /** [rank, n]: a=0, b=1, rc=2; undefined when absent. */
  pre?: [number, string];
  post?: string;
  dev?: string;
  local?: string[];
}

function parsePep440(v: string): Pep440 | undefined {
  const g = PEP440_RE.exec(v.trim())?.groups;
  if (!g) return undefined;
  const release = g.release!.split('.');
  const out: Pep440 = { epoch: g.epoch ?? '0', release };
  const preL = g.preL?.toLowerCase();
  if (preL) out.pre = [preL.startsWith('a') ? 0 : preL.startsWith('b') ? 1 : 2, g.preN ?? '0'];
  if (g.postN1 !== undefined || g.postL !== undefined) out.post = g.postN1 ?? g.postN2 ?? '0';
  if (g.devL) out.dev = g.devN ?? '0';
  if (g.local) out.local = g.local.toLowerCase().split(/[-_.]/);
  return out;
}

export function comparePep440(a: string, b: string): number {
  const x = parsePep440(a);
  const y = parsePep440(b);
  if (!x || !y) return verrevcmp(a, b);
  return compareDigits(x.epoch, y.epoch)
    || compareNumberLists(x.release, y.release)
    || comparePre(x, y)
    || compareOptional(x.post, y.post, -1)
    || compareOptional(x.dev, y.dev, 1)
    || compareLocal(x.local, y.local);
}

function compareNumberLists(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (d !== 0) return d;
  }
  return 0;
}

/** Packaging's key: a dev release with no pre or post sorts before every pre-release of it. */
function comparePre(x: Pep440, y: Pep440): number {
  const rank = (v: Pep440): number => (v.pre ? v.pre[0] : v.dev !== undefined && v.post === undefined ? -1 : 3);
  const d = rank(x) - rank(y);
  if (d !== 0 || !x.pre || !y.pre) return d;
  return compareDigits(x.pre[1], y.pre[1]);
}

/** `absent` is where a missing value sorts: -1 below every number (post), 1 above (dev). */
function compareOptional(a: string | undefined, b: string | undefined, absent: number): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return absent;
  if (b === undefined) return -absent;
  return compareDigits(a, b);
}

/** PEP 440 local versions: numeric segments above alphanumeric ones, then more segments win. */
function compareLocal(a: string[] | undefined, b: string[] | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const na = /^\d+$/.test(a[i]!);
    const nb = /^\d+$/.test(b[i]!);
    if (na !== nb) return na ? 1 : -1;
    const d = na ? compareDigits(a[i]!, b[i]!) : a[i]! < b[i]! ? -1 : a[i]! > b[i]! ? 1 : 0;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const SEMVER_RE = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/;

export function compareSemver(a: string, b: string): number {
  const x = SEMVER_RE.exec(a.trim());
  const y = SEMVER_RE.exec(b.trim());
  if (!x || !y) return verrevcmp(a, b);
  for (let i = 1; i <= 3; i++) {
    const d = compareDigits(x[i]!, y[i]!);
    if (d !== 0) return d;
  }
  // SemVer 11.3: a version without a pre-release is greater than one with.
  if (!x[4] || !y[4]) return x[4] ? -1 : y[4] ? 1 : 0;
  const pa = x[4].split('.');
  const pb = y[4].split('.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const na = /^\d+$/.test(pa[i]!);
    const nb = /^\d+$/.test(pb[i]!);
    if (na !== nb) return na ? -1 : 1; // 11.4.3: numeric identifiers are lower
    const d = na ? compareDigits(pa[i]!, pb[i]!) : pa[i]! < pb[i]! ? -1 : pa[i]! > pb[i]! ? 1 : 0;
    if (d !== 0) return d;
  }
  return pa.length - pb.length;
}
