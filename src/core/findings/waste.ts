// Findings for "why is this image large": caches left behind, files deleted too late, duplicate
// content, baked-in model weights, build tooling, CUDA twice or unused, packages installed twice.
// One pass over the final files; each file goes to at most one finding (a shadowed package copy
// first, then the order in classify.ts, then CUDA copies, GPU libraries, duplicates last), so bytes add up.
// The layer-caching findings (caching.ts) come after them: their bytes are whole layers rebuilt per
// code change, which overlap the files above, so they are marked `rebuilt` and never added in.

import { formatBytes } from '../format';
import { classifyPath, isBuildPackage } from './classify';
import { cudaLibrary, gpuEvidence, isGpuFile, type CudaLibrary } from './cuda';
import {
  cleanStep, cudaDuplicateFix, duplicateFix, gpuUnusedFix, packageTwiceFix, pycacheFix, fixFor, removedLaterFix,
  type CudaPair, type PackageCopy,
} from './fixes';
import { findCaching } from './caching';
import { findShadowed } from './twice';
import { IntList } from '../merge/int-list';
import type { Finding, PackageRef, RemovedFile, WasteFile, WasteFileColumns, WasteInput, WasteKind } from './types';

const TOP_PATHS = 20;

interface Item { path: string; size: number }

interface Group {
  kind: WasteKind;
  layer: number;
  removedBy?: number;
  bytes: number;
  files: number;
  top: Item[];
  /** duplicate-content: the largest duplicate and the copy it repeats; how many sets of copies. */
  example?: { path: string; same: string; size: number };
  sets?: number;
  /** cuda-duplicate: the largest library counted, its other copy, and how many sonames. */
  cuda?: CudaPair & { size: number };
  /** package-twice: the shadowed copies, by package index. */
  twice?: Map<number, { shadowed: PackageCopy; used: PackageCopy }>;
  /** build-tools, cuda-devel, static-libs: bytes by owning package index. */
  owners?: Map<number, number>;
}

class Groups {
  readonly all = new Map<string, Group>();

  add(kind: WasteKind, layer: number, item: Item, removedBy?: number): Group {
    const key = `${kind}\u0000${layer}\u0000${removedBy ?? ''}`;
    let g = this.all.get(key);
    if (!g) {
      g = { kind, layer, removedBy, bytes: 0, files: 0, top: [] };
      this.all.set(key, g);
    }
    g.bytes += item.size;
    g.files++;
    g.top.push(item);
    // Keep only candidates for the top 20 without sorting on every push.
    if (g.top.length > 10 * TOP_PATHS) g.top = largest(g.top);
    return g;
  }
}

function largest(items: Item[]): Item[] {
  return items.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1)).slice(0, TOP_PATHS);
}

interface Copy { path: string; size: number; layer: number }

/** A GPU file: a row of the files, its path and, for a CUDA library, its soname and side. */
interface GpuFile extends Copy { row: number; lib?: CudaLibrary }

export function findWaste(input: WasteInput): Finding[] {
  const files = wasteColumns(input.files);
  const commands = input.commands ?? [];
  const buildPkg = buildPackageFlags(input.packages);
  const owners = input.fileOwners;
  const shadowed = owners ? findShadowed(input.packages) : undefined;
  const groups = new Groups();
  // Rows left for the duplicate finder, in the order seen: rows, not objects (see addDuplicates).
  const hashed = new IntList(4096);
  const gpu: GpuFile[] = [];
  for (let i = 0; i < files.count; i++) {
    const size = files.size[i]!;
    // Zero bytes reclaim nothing (hard links to a file already counted are recorded as size 0).
    if (!(size > 0)) continue;
    const path = files.path(i);
    const layer = files.layer[i]!;
    const owner = owners ? owners[i]! : -1;
    const o = owner >= 0 ? owner : undefined;
    // A shadowed copy goes whole, caches and CUDA libraries included: the fix removes all of it.
    const twice = o !== undefined ? shadowed?.byPackage.get(o) : undefined;
    if (twice) {
      const g = groups.add('package-twice', layer, { path, size });
      (g.twice ??= new Map()).set(o!, twice);
      continue;
    }
    let kind = classifyPath(path, size);
    if (kind === undefined && buildPkg && o !== undefined && buildPkg[o]) kind = 'build-tools';
    if (kind !== undefined) {
      const g = groups.add(kind, layer, { path, size });
      if (o !== undefined && BUILD_KINDS.has(kind)) (g.owners ??= new Map()).set(o, (g.owners.get(o) ?? 0) + size);
    } else if (isGpuFile(path)) gpu.push({ row: i, path, size, layer, lib: cudaLibrary(path) });
    else if (hasHash(files, i)) hashed.push(i);
  }
  const rest = addCudaDuplicates(gpu, groups);
  const noGpu = input.config && rest.length > 0 && gpuEvidence({
    ...input.config,
    packages: (input.packages ?? []).filter((p) => p.ecosystem === 'pip' || p.ecosystem === 'conda').map((p) => p.name),
  }) === undefined;
  for (const f of rest) {
    if (noGpu) groups.add('gpu-unused', f.layer, f);
    else if (hasHash(files, f.row)) hashed.push(f.row);
  }
  addDuplicates(files, hashed, groups);
  for (const r of input.removed ?? []) addRemoved(r, groups);
  const saved = [...groups.all.values()].map((g) => toFinding(g, commands, input.packages)).sort(
    (a, b) => b.bytes - a.bytes || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || a.layer - b.layer,
  );
  // The caching findings' bytes are rebuilt per code change, not saved: listed after the savings.
  return input.layers ? [...saved, ...findCaching(input.layers)] : saved;
}

/** Findings of build-only files, whose fix names the packages that brought them. */
const BUILD_KINDS: ReadonlySet<WasteKind> = new Set(['build-tools', 'cuda-devel', 'static-libs']);

/**
 * CUDA libraries present on both sides (wheel and system) under one soname. The side whose copy
 * came in the later layer is counted (its layer is where a different Dockerfile saves the bytes);
 * a tie counts the wheels'. Returns the GPU files not counted.
 */
function addCudaDuplicates(gpu: readonly GpuFile[], groups: Groups): GpuFile[] {
  const bySoname = new Map<string, { wheel: GpuFile[]; system: GpuFile[] }>();
  for (const file of gpu) {
    const lib = file.lib;
    if (!lib) continue;
    let s = bySoname.get(lib.soname);
    if (!s) bySoname.set(lib.soname, (s = { wheel: [], system: [] }));
    s[lib.side].push(file);
  }
  const counted = new Set<GpuFile>();
  for (const [soname, { wheel, system }] of bySoname) {
    const seen = new Set<Group>();
    if (wheel.length === 0 || system.length === 0) continue;
    const top = (fs: GpuFile[]) => Math.max(...fs.map((f) => f.layer));
    const [extra, kept] = top(system) > top(wheel) ? [system, wheel] : [wheel, system];
    const other = kept.reduce((a, b) => (b.size > a.size ? b : a));
    for (const f of extra) {
      const g = groups.add('cuda-duplicate', f.layer, f);
      if (!g.cuda || f.size > g.cuda.size) g.cuda = { path: f.path, other: other.path, soname, size: f.size };
      if (!seen.has(g)) g.sets = (g.sets ?? 0) + 1;
      seen.add(g);
      counted.add(f);
    }
  }
  return gpu.filter((g) => !counted.has(g));
}

function buildPackageFlags(packages: readonly PackageRef[] | undefined): Uint8Array | undefined {
  if (!packages) return undefined;
  const flags = new Uint8Array(packages.length);
  packages.forEach((p, i) => (flags[i] = isBuildPackage(p.name, p.ecosystem) ? 1 : 0));
  return flags.includes(1) ? flags : undefined;
}

function hasHash(files: WasteFileColumns, row: number): boolean {
  return files.hashHi[row] !== 0 || files.hashLo[row] !== 0;
}

/** Objects become columns (small inputs: tests and callers with a list of their own); equal hash strings, equal ids. */
function wasteColumns(files: Iterable<WasteFile> | WasteFileColumns): WasteFileColumns {
  if (typeof (files as WasteFileColumns).path === 'function') return files as WasteFileColumns;
  const list = [...(files as Iterable<WasteFile>)];
  const ids = new Map<string, number>();
  const hashHi = list.map((f) => {
    if (!f.hash) return 0;
    let id = ids.get(f.hash);
    if (id === undefined) ids.set(f.hash, (id = ids.size + 1));
    return id;
  });
  return {
    count: list.length, size: list.map((f) => f.size), layer: list.map((f) => f.layer),
    hashHi, hashLo: list.map(() => 0), path: (i) => list[i]!.path,
  };
}

/**
 * For each set of identical files, keep the copy in the lowest layer (it ships anyway; the later
 * ones are what a different Dockerfile would leave out) and report the others by their layer.
 * Sets are found by an open-addressing table on the two hash halves over positions in `hashed`
 * (~17 B a file, dropped after): a Map keyed by hash strings holding an object per file was ~20 MB
 * on 240k files. Sets are taken in the order their first copy was seen, each copy in its order,
 * as a Map's insertion order gave them. Copies of another size under one hash (a collision, a
 * truncated read) are never joined: bySize splits each set.
 */
function addDuplicates(files: WasteFileColumns, hashed: IntList, groups: Groups): void {
  const m = hashed.length;
  let cap = 16;
  while (cap < 2 * m) cap *= 2;
  const mask = cap - 1;
  const slots = new Int32Array(cap); // 1 + the position of a set's first copy; 0: empty
  const next = new Int32Array(m).fill(-1); // the next position in the same set
  const last = new Int32Array(m); // of a set's first position: its last one
  const first = new Uint8Array(m);
  const { hashHi: hi, hashLo: lo } = files;
  for (let p = 0; p < m; p++) {
    const row = hashed.at(p);
    const h = hi[row]!;
    const l = lo[row]!;
    for (let s = (h ^ Math.imul(l, 0x9e3779b1)) & mask; ; s = (s + 1) & mask) {
      const q = slots[s]! - 1;
      if (q < 0) {
        slots[s] = p + 1;
        last[p] = p;
        first[p] = 1;
        break;
      }
      const r = hashed.at(q);
      if (hi[r] === h && lo[r] === l) {
        next[last[q]!] = p;
        last[q] = p;
        break;
      }
    }
  }
  for (let p = 0; p < m; p++) {
    if (!first[p] || next[p]! < 0) continue;
    const same: Copy[] = [];
    for (let q = p; q >= 0; q = next[q]!) {
      const row = hashed.at(q);
      same.push({ path: files.path(row), size: files.size[row]!, layer: files.layer[row]! });
    }
    for (const copies of bySize(same)) {
      if (copies.length < 2) continue;
      copies.sort((a, b) => a.layer - b.layer || a.path.length - b.path.length || (a.path < b.path ? -1 : 1));
      const kept = copies[0]!;
      const counted = new Set<Group>();
      for (let i = 1; i < copies.length; i++) {
        const c = copies[i]!;
        const g = groups.add('duplicate-content', c.layer, c);
        if (!g.example || c.size > g.example.size) g.example = { path: c.path, same: kept.path, size: c.size };
        if (!counted.has(g)) g.sets = (g.sets ?? 0) + 1;
        counted.add(g);
      }
    }
  }
}

/** Copies under one hash, split by size (in the order each size was first seen). */
function bySize(copies: Copy[]): Copy[][] {
  const size = copies[0]!.size;
  if (copies.every((c) => c.size === size)) return [copies];
  const sets = new Map<number, Copy[]>();
  for (const c of copies) {
    const set = sets.get(c.size);
    if (set) set.push(c);
    else sets.set(c.size, [c]);
  }
  return [...sets.values()];
}

function addRemoved(r: RemovedFile, groups: Groups): void {
  if (!(r.size > 0) || !(r.removedBy > r.layer)) return;
  groups.add('removed-later', r.layer, r, r.removedBy);
}

function toFinding(g: Group, commands: readonly string[], packages: readonly PackageRef[] | undefined): Finding {
  let fix: string;
  if (g.kind === 'removed-later') fix = removedLaterFix(commands, g.layer, g.removedBy!);
  else if (g.kind === 'duplicate-content') fix = duplicateFix(g.example!, g.sets ?? 1);
  else if (g.kind === 'pycache') fix = pycacheFix(largest(g.top).map((i) => i.path));
  else if (g.kind === 'cuda-duplicate') fix = cudaDuplicateFix(g.cuda!, g.sets ?? 1);
  else if (g.kind === 'gpu-unused') fix = gpuUnusedFix();
  else if (g.kind === 'package-twice') fix = packageTwiceFix([...g.twice!.values()]);
  else fix = fixFor(g.kind) + buildPackagesNote(g, packages);
  const f: Finding = {
    kind: g.kind, bytes: g.bytes, layer: g.layer, files: g.files, paths: largest(g.top).map((i) => i.path), fix,
  };
  if (g.kind === 'gpu-unused') f.heuristic = true;
  const step = commands[g.layer] ? cleanStep(commands[g.layer]!) : '';
  if (step) f.step = step;
  if (g.removedBy !== undefined) f.removedBy = g.removedBy;
  return f;
}

/** " They come from `gcc-12` (31 MB), `libc6-dev` (9.2 MB)…": the packages to leave to a builder stage, largest first. */
function buildPackagesNote(g: Group, packages: readonly PackageRef[] | undefined): string {
  if (!g.owners || !packages) return '';
  const top = [...g.owners].sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([i, bytes]) => `\`${packages[i]!.name}\` (${formatBytes(bytes)})`);
  const more = g.owners.size > 5 ? ` and ${g.owners.size - 5} more packages` : '';
  return ` Here they come from ${top.join(', ')}${more}.`;
}
