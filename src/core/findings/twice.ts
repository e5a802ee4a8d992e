// A package installed twice: the same Python package (pip or conda) or deb in two environments,
// e.g. torch in a base image's site-packages and again in a venv or a later layer's site-packages.
// Python imports one of them; the copy in the lower layer is what a different Dockerfile leaves out.

import type { PackageCopy } from './fixes';
import type { PackageRef } from './types';

export interface Shadowed {
  /** Package index -> the copy it is shadowed by. */
  byPackage: Map<number, { shadowed: PackageCopy; used: PackageCopy }>;
}

/** PEP 503 name normalisation, so `Torch`, `torch` and conda's `pytorch` are one name. */
function normalName(p: PackageRef): string {
  const n = p.name.toLowerCase().replace(/[-_.]+/g, '-');
  if (p.ecosystem === 'pip' || p.ecosystem === 'conda') return `python:${n === 'pytorch' ? 'torch' : n}`;
  return `${p.ecosystem}:${n}`;
}

/** The environment a package's metadata sits in: `.../site-packages` for `.../site-packages/x.dist-info/METADATA`. */
function environment(source: string): string {
  const parts = source.split('/');
  return parts.slice(0, Math.max(1, parts.length - 2)).join('/');
}

export function findShadowed(packages: readonly PackageRef[] | undefined): Shadowed | undefined {
  if (!packages) return undefined;
  const byName = new Map<string, number[]>();
  packages.forEach((p, i) => {
    if (p.source === undefined || p.layer === undefined) return;
    const key = normalName(p);
    const list = byName.get(key);
    if (list) list.push(i);
    else byName.set(key, [i]);
  });
  const byPackage = new Map<number, { shadowed: PackageCopy; used: PackageCopy }>();
  for (const list of byName.values()) {
    if (list.length < 2) continue;
    const copies = list.map((i) => ({ i, where: environment(packages[i]!.source!), layer: packages[i]!.layer! }));
    if (new Set(copies.map((c) => c.where)).size < 2) continue; // stale metadata in one environment: not two installs
    // The copy in the highest layer is the one that was meant; ties go to the first environment by name.
    copies.sort((a, b) => b.layer - a.layer || (a.where < b.where ? -1 : 1));
    const top = copies[0]!;
    const used = copyOf(packages[top.i]!, top.where, top.layer);
    for (const c of copies.slice(1)) {
      if (c.where === top.where) continue;
      byPackage.set(c.i, { shadowed: copyOf(packages[c.i]!, c.where, c.layer), used });
    }
  }
  return byPackage.size ? { byPackage } : undefined;
}

function copyOf(p: PackageRef, where: string, layer: number): PackageCopy {
  return { name: p.name, ...(p.version ? { version: p.version } : {}), where, layer };
}
