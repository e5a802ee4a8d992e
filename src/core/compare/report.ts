// The comparison as the JSON report (types.ts): path strings are made here, only for the rows
// reported, and directories deeper than DIRECTORY_DEPTH are left to their ancestors' figures.

import { formatPlatform, KIND_LETTER } from '../types';
import type { CompareInput, ImageComparison } from './compare-images';
import { PATH_CHANGE_NAMES, type FileDiff } from './diff-files';
import { layerDirectoryBytes, nodeDepths } from './layer-dirs';
import {
  COMPARE_REPORT_VERSION, type CompareDirectoryRow, type CompareGrowth, type CompareImageRef, type CompareLayerRow,
  type CompareLayerSide, type ComparePathRow, type CompareReport,
} from './types';

/** Paths deeper than this are counted, not listed: a 222k-deep path would make a 50 GB list. */
export const PATH_DEPTH = 1024;
/** Directory roll-ups are reported this deep; deeper directories are inside their ancestors. */
export const DIRECTORY_DEPTH = 64;
/** Directories listed per aligned layer pair. */
export const LAYER_DIRECTORIES = 10;
const GROWTH_ITEMS = 5;

export interface ReportOptions {
  /** Keep only the largest this many paths (by bytes changed): the page's summary. */
  pathLimit?: number;
}

export function compareReport(c: ImageComparison, opts: ReportOptions = {}): CompareReport {
  const rows = pathRows(c.files);
  const pathsTooDeep = rows.pathsTooDeep;
  const paths = opts.pathLimit === undefined ? rows.paths : largestPaths(rows.paths).slice(0, opts.pathLimit);
  const directories = directoryRows(c.files);
  const layers = layerRows(c);
  const report: CompareReport = {
    version: COMPARE_REPORT_VERSION,
    a: imageRef(c.a),
    b: imageRef(c.b),
    same: c.files.paths.count === 0 && c.packages.length === 0 && c.config.length === 0 && c.history.length === 0,
    options: c.options,
    layers,
    files: { ...c.files.totals },
    paths,
    directories,
    packages: c.packages,
    config: c.config,
    history: c.history,
    pull: c.pull,
    rebuilt: c.rebuilt,
    growth: growth(c, directories, layers),
    limits: { pathDepth: PATH_DEPTH, directoryDepth: DIRECTORY_DEPTH, pathsTooDeep },
  };
  return report;
}

/**
 * The bytes a path's change adds (negative: frees), for "largest first" lists: a hard link adds
 * nothing (its target holds the bytes) and a directory's total is listed under directories.
 */
export function byteDelta(p: ComparePathRow): number {
  const counts = (t: string | undefined) => t !== 'h' && t !== 'd';
  const a = counts(p.typeA ?? p.type) ? p.sizeA ?? 0 : 0;
  const b = counts(p.type) ? p.sizeB ?? 0 : 0;
  return b - a;
}

/** Paths by |byteDelta|, largest first (a stable sort: ties keep tar order). */
export function largestPaths(paths: readonly ComparePathRow[]): ComparePathRow[] {
  const size = Float64Array.from(paths, (p) => Math.abs(byteDelta(p)));
  const order = Array.from(paths.keys()).sort((i, j) => size[j]! - size[i]! || i - j);
  return order.map((i) => paths[i]!);
}

function imageRef(x: CompareInput): CompareImageRef {
  const r = x.image.record;
  return {
    name: r.tags[0] ?? x.name,
    configDigest: r.configDigest ?? null,
    platform: formatPlatform(r.platform),
    sizeBytes: x.analysis.dive.sizeBytes,
    storedBytes: x.image.layers.reduce((s, l) => s + l.compressedSize, 0),
    finalBytes: x.analysis.merged.totalBytes[0]!,
    layers: x.image.layers.length,
  };
}

function pathRows(d: FileDiff): { paths: ComparePathRow[]; pathsTooDeep: number } {
  const out: ComparePathRow[] = [];
  let pathsTooDeep = 0;
  for (let i = 0; i < d.paths.count; i++) {
    if (d.paths.depth[i]! > PATH_DEPTH) { pathsTooDeep++; continue; }
    out.push(pathRow(d, i));
  }
  return { paths: out, pathsTooDeep };
}

/** Row `i` of the differing paths, as the report and the page's windows show it. */
export function pathRow(d: FileDiff, i: number): ComparePathRow {
  const { sideA: A, sideB: B } = d;
  const x = d.paths.nodeA[i]!;
  const y = d.paths.nodeB[i]!;
  const ka = x >= 0 ? A.kind(x) : undefined;
  const kb = y >= 0 ? B.kind(y) : undefined;
  const row: ComparePathRow = {
    path: x >= 0 ? A.merged.path(x) : B.merged.path(y),
    change: PATH_CHANGE_NAMES[d.paths.change[i]!]!,
    type: KIND_LETTER[(kb ?? ka)!],
    sizeA: ka === undefined ? null : A.size(x, ka),
    sizeB: kb === undefined ? null : B.size(y, kb),
  };
  if (ka !== undefined && kb !== undefined && ka !== kb) row.typeA = KIND_LETTER[ka];
  return row;
}

function dirSizes(d: FileDiff, i: number): [number, number] {
  const x = d.dirs.nodeA[i]!;
  const y = d.dirs.nodeB[i]!;
  return [x >= 0 ? d.sideA.dirBytes(x) : 0, y >= 0 ? d.sideB.dirBytes(y) : 0];
}

function directoryRows(d: FileDiff): CompareDirectoryRow[] {
  const keep: number[] = [];
  for (let i = 1; i < d.dirs.count; i++) {
    if (d.dirs.depth[i]! > DIRECTORY_DEPTH) continue;
    const [a, b] = dirSizes(d, i);
    if (a !== b) keep.push(i);
  }
  const rows = keep.map((i): CompareDirectoryRow => {
    const [sizeA, sizeB] = dirSizes(d, i);
    const x = d.dirs.nodeA[i]!;
    return { path: x >= 0 ? d.sideA.merged.path(x) : d.sideB.merged.path(d.dirs.nodeB[i]!), sizeA, sizeB, delta: sizeB - sizeA };
  });
  return rows.sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta) || (p.path < q.path ? -1 : 1));
}

function layerSide(x: CompareInput, i: number | null): CompareLayerSide | null {
  if (i === null) return null;
  const l = x.image.layers[i]!;
  return {
    index: i,
    diffId: l.diffId ?? null,
    command: l.command,
    sizeBytes: x.analysis.dive.layers[i]?.sizeBytes ?? 0,
    compressedSize: Number.isFinite(l.compressedSize) ? l.compressedSize : null,
  };
}

function layerRows(c: ImageComparison): CompareLayerRow[] {
  const depthA = lazy(() => nodeDepths(c.a.analysis.merged));
  const depthB = lazy(() => nodeDepths(c.b.analysis.merged));
  return c.layers.map((r) => {
    const a = layerSide(c.a, r.a);
    const b = layerSide(c.b, r.b);
    const row: CompareLayerRow = { relation: r.relation, a, b, delta: (b?.sizeBytes ?? 0) - (a?.sizeBytes ?? 0), directories: [] };
    if (r.relation === 'changed' || r.relation === 'only-a' || r.relation === 'only-b') {
      const da = r.a === null ? new Map<string, number>() : layerDirectoryBytes(c.a.analysis.merged, r.a, depthA(), DIRECTORY_DEPTH);
      const db = r.b === null ? new Map<string, number>() : layerDirectoryBytes(c.b.analysis.merged, r.b, depthB(), DIRECTORY_DEPTH);
      row.directories = joinDirectories(da, db).slice(0, LAYER_DIRECTORIES);
    }
    return row;
  });
}

function joinDirectories(a: Map<string, number>, b: Map<string, number>): CompareDirectoryRow[] {
  const rows: CompareDirectoryRow[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const sizeA = a.get(path) ?? 0;
    const sizeB = b.get(path) ?? 0;
    if (sizeA !== sizeB) rows.push({ path, sizeA, sizeB, delta: sizeB - sizeA });
  }
  return rows.sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta) || (p.path < q.path ? -1 : 1));
}

function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

/**
 * The few largest positive contributors. A directory is named only when no single subdirectory
 * explains 80% of its growth (else that subdirectory is the better name), and never beside its own
 * ancestor or descendant.
 */
function growth(c: ImageComparison, dirs: CompareDirectoryRow[], layers: CompareLayerRow[]): CompareGrowth {
  const packages = c.packages
    .map((p) => ({ ecosystem: p.ecosystem, name: p.name, delta: (p.bytesB ?? 0) - (p.bytesA ?? 0) }))
    .filter((p) => p.delta > 0)
    .sort((p, q) => q.delta - p.delta)
    .slice(0, GROWTH_ITEMS);
  const layerGrowth = layers
    .filter((l) => l.delta > 0)
    .sort((p, q) => q.delta - p.delta)
    .slice(0, GROWTH_ITEMS)
    .map((l) => ({ index: (l.b ?? l.a)!.index, command: (l.b ?? l.a)!.command, delta: l.delta }));
  return { packages, directories: growingDirectories(dirs), layers: layerGrowth };
}

function growingDirectories(dirs: CompareDirectoryRow[]): { path: string; delta: number }[] {
  const byPath = new Map(dirs.map((d) => [d.path, d.delta]));
  const maxChild = new Map<string, number>();
  for (const d of dirs) {
    const slash = d.path.lastIndexOf('/');
    if (slash < 0) continue;
    const parent = d.path.slice(0, slash);
    if (byPath.has(parent)) maxChild.set(parent, Math.max(maxChild.get(parent) ?? 0, d.delta));
  }
  const out: { path: string; delta: number }[] = [];
  for (const d of dirs) {
    if (out.length >= GROWTH_ITEMS) break;
    if (d.delta <= 0 || (maxChild.get(d.path) ?? 0) >= 0.8 * d.delta) continue;
    const nested = out.some((o) => d.path.startsWith(`${o.path}/`) || o.path.startsWith(`${d.path}/`));
    if (!nested) out.push({ path: d.path, delta: d.delta });
  }
  return out;
}
