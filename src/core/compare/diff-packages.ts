// Installed packages of two images, matched per ecosystem by name: added, removed, upgraded,
// downgraded (by the ecosystem's own version order), with each side's bytes.

import type { Ecosystem, InstalledPackage } from '../packages/types';
import { compareVersions } from './versions';

export type PackageChange = 'added' | 'removed' | 'upgraded' | 'downgraded';

export interface PackageDiffRow {
  ecosystem: Ecosystem;
  name: string;
  versionA: string | null;
  versionB: string | null;
  change: PackageChange;
  bytesA: number | null;
  bytesB: number | null;
}

/** pip and conda names compare as PEP 503 normalises them (`Foo_Bar` is `foo-bar`). */
function nameKey(p: InstalledPackage): string {
  const name = p.ecosystem === 'pip' || p.ecosystem === 'conda' ? p.name.toLowerCase().replace(/[-_.]+/g, '-') : p.name;
  return `${p.ecosystem}\0${name}`;
}

/**
 * One name can be installed more than once (npm's nested copies, dpkg's multi-arch, pip in two
 * interpreters): equal versions pair first, the rest pair in version order, leftovers are added or
 * removed. Sorted by the byte delta, largest first.
 */
export function diffPackages(a: readonly InstalledPackage[], b: readonly InstalledPackage[]): PackageDiffRow[] {
  const groups = new Map<string, [InstalledPackage[], InstalledPackage[]]>();
  for (const [side, list] of [[0, a], [1, b]] as const) {
    for (const p of list) {
      const k = nameKey(p);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = [[], []]));
      g[side].push(p);
    }
  }
  const rows: PackageDiffRow[] = [];
  for (const [xs, ys] of groups.values()) {
    const left = [...xs];
    const right: InstalledPackage[] = [];
    for (const y of ys) {
      const same = left.findIndex((x) => x.version === y.version);
      if (same >= 0) left.splice(same, 1);
      else right.push(y);
    }
    const eco = (xs[0] ?? ys[0])!.ecosystem;
    const order = (p: InstalledPackage, q: InstalledPackage) => compareVersions(eco, p.version, q.version);
    left.sort(order);
    right.sort(order);
    const n = Math.min(left.length, right.length);
    for (let i = 0; i < n; i++) {
      const x = left[i]!;
      const y = right[i]!;
      const c = compareVersions(eco, x.version, y.version);
      // Versions its order calls equal (`1.0` and `1.0.0`) but spelled differently: a change
      // all the same, shown as an upgrade.
      rows.push(row(eco, x, y, c > 0 ? 'downgraded' : 'upgraded'));
    }
    for (const x of left.slice(n)) rows.push(row(eco, x, undefined, 'removed'));
    for (const y of right.slice(n)) rows.push(row(eco, undefined, y, 'added'));
  }
  const delta = (r: PackageDiffRow) => Math.abs((r.bytesB ?? 0) - (r.bytesA ?? 0));
  return rows.sort((p, q) => delta(q) - delta(p) || p.ecosystem.localeCompare(q.ecosystem) || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
}

function row(ecosystem: Ecosystem, x: InstalledPackage | undefined, y: InstalledPackage | undefined, change: PackageChange): PackageDiffRow {
  return {
    ecosystem,
    name: (y ?? x)!.name,
    versionA: x?.version ?? null,
    versionB: y?.version ?? null,
    change,
    bytesA: x ? x.bytes : null,
    bytesB: y ? y.bytes : null,
  };
}
