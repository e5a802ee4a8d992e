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
import type { Finding, PackageRef, RemovedFile, WasteFile, WasteInput, WasteKind } from './types';

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

interface GpuFile { file: WasteFile; lib?: CudaLibrary }

export function findWaste(input: WasteInput): Finding[] {
  const commands = input.commands ?? [];
  const buildPkg = buildPackageFlags(input.packages);
  const shadowed = input.owners ? findShadowed(input.packages) : undefined;
  const groups = new Groups();
  const byContent = new Map<string, Copy | Copy[]>();
  const gpu: GpuFile[] = [];
  for (const f of input.files) {
    // Zero bytes reclaim nothing (hard links to a file already counted are recorded as size 0).
    if (!(f.size > 0)) continue;
    const o = input.owners?.get(f.path);
    // A shadowed copy goes whole, caches and CUDA libraries included: the fix removes all of it.
    const twice = o !== undefined ? shadowed?.byPackage.get(o) : undefined;
    if (twice) {
      const g = groups.add('package-twice', f.layer, f);
      (g.twice ??= new Map()).set(o!, twice);
      continue;
    }
    let kind = classifyPath(f.path, f.size);
    if (kind === undefined && buildPkg && o !== undefined && buildPkg[o]) kind = 'build-tools';
    if (kind !== undefined) {
      const g = groups.add(kind, f.layer, f);
      if (o !== undefined && BUILD_KINDS.has(kind)) (g.owners ??= new Map()).set(o, (g.owners.get(o) ?? 0) + f.size);
    } else if (isGpuFile(f.path)) gpu.push({ file: f, lib: cudaLibrary(f.path) });
    else if (f.hash) remember(byContent, f);
  }
  const rest = addCudaDuplicates(gpu, groups);
  const noGpu = input.config && rest.length > 0 && gpuEvidence({
    ...input.config,
    packages: (input.packages ?? []).filter((p) => p.ecosystem === 'pip' || p.ecosystem === 'conda').map((p) => p.name),
  }) === undefined;
  for (const f of rest) {
    if (noGpu) groups.add('gpu-unused', f.layer, f);
    else if (f.hash) remember(byContent, f);
  }
  addDuplicates(byContent, groups);
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
function addCudaDuplicates(gpu: readonly GpuFile[], groups: Groups): WasteFile[] {
  const bySoname = new Map<string, { wheel: WasteFile[]; system: WasteFile[] }>();
  for (const { file, lib } of gpu) {
    if (!lib) continue;
    let s = bySoname.get(lib.soname);
    if (!s) bySoname.set(lib.soname, (s = { wheel: [], system: [] }));
    s[lib.side].push(file);
  }
  const counted = new Set<WasteFile>();
  for (const [soname, { wheel, system }] of bySoname) {
    const seen = new Set<Group>();
    if (wheel.length === 0 || system.length === 0) continue;
    const top = (fs: WasteFile[]) => Math.max(...fs.map((f) => f.layer));
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
  return gpu.filter((g) => !counted.has(g.file)).map((g) => g.file);
}

function buildPackageFlags(packages: readonly PackageRef[] | undefined): Uint8Array | undefined {
  if (!packages) return undefined;
  const flags = new Uint8Array(packages.length);
  packages.forEach((p, i) => (flags[i] = isBuildPackage(p.name, p.ecosystem) ? 1 : 0));
  return flags.includes(1) ? flags : undefined;
}

function remember(byContent: Map<string, Copy | Copy[]>, f: WasteFile): void {
  // Keyed by the hash string the file already carries, and the file itself kept as the copy: no
  // new key string or object per file (on 240k files these were ~20 MB of the analysis' heap).
  // Copies of another size under one hash (a collision, a truncated read) are never joined:
  // addDuplicates splits each set by size.
  const key = f.hash!;
  const seen = byContent.get(key);
  if (seen === undefined) byContent.set(key, f);
  else if (Array.isArray(seen)) seen.push(f);
  else byContent.set(key, [seen, f]);
}

/**
 * For each set of identical files, keep the copy in the lowest layer (it ships anyway; the later
 * ones are what a different Dockerfile would leave out) and report the others by their layer.
 */
function addDuplicates(byContent: Map<string, Copy | Copy[]>, groups: Groups): void {
  for (const same of byContent.values()) {
    if (!Array.isArray(same)) continue;
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
