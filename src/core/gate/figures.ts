// The figures the gate's rules judge, read from one image's analysis. Without a scope they are
// dive's own (runtime/ci over image.AnalysisResult): efficiency, wasted bytes = the cumulative size
// of every inefficient path, user bytes = every layer but the first, user wasted percent = wasted /
// user bytes. A scope leaves out paths (ignore globs) and the base image (its first N layers): then
// a path's waste counts only when a layer above the base touched it, and reclaimable bytes and
// findings only when a layer above the base stores them. dive's efficiency score is image-wide
// and stays as dive computes it.

import type { ImageAnalysisResult } from '../analysis/analyse-image';
import type { Finding, FindingKind } from '../findings';
import type { ReportCiFigures } from '../report/report-format';
import type { BaselineFigures } from './baseline';

export interface GateScope {
  /** Layers below this index are the base image; undefined = dive's definition (the first layer). */
  baseLayers?: number;
  /** Globs over absolute paths (`/var/cache/**`, `**\/*.pyc`); a match also covers what is below. */
  ignore?: readonly string[];
}

export interface InefficientFile {
  count: number;
  sizeBytes: number;
  /** With a leading '/', as dive prints it. */
  path: string;
}

/**
 * What the rules judge: the report's figures (one field list, declared with the report format)
 * plus the paths and findings in scope. userWastedPercent is 0 when wasted and user bytes are both
 * 0 (dive prints NaN), null when only user bytes are 0; baseLayers is dive's 1 unless a base is set;
 * `baseline` is there only with `--baseline IMAGE`.
 */
export interface GateFigures extends ReportCiFigures {
  /** Inefficient paths in scope, largest first (dive's table). */
  inefficientFiles: InefficientFile[];
  /** Findings in scope, largest first. */
  findings: Finding[];
}

export const CACHE_KINDS: readonly FindingKind[] = ['apt-cache', 'pip-cache', 'conda-pkgs', 'npm-cache', 'uv-cache'];

export function gateFigures(a: ImageAnalysisResult, scope: GateScope = {}, baseline?: BaselineFigures): GateFigures {
  const layers = a.dive.layers;
  const base = scope.baseLayers ?? 1;
  const ignored = pathMatcher(scope.ignore ?? []);
  const aboveBase = (path: string) => scope.baseLayers === undefined || touchedAbove(a, path, base);
  const inefficientFiles = a.dive.fileReference
    .filter((r) => !ignored(r.file) && aboveBase(r.file))
    .map((r) => ({ count: r.count, sizeBytes: r.sizeBytes, path: r.file }));
  const wastedBytes = inefficientFiles.reduce((s, r) => s + r.sizeBytes, 0);
  const userSizeBytes = layers.slice(base).reduce((s, l) => s + l.sizeBytes, 0);
  return {
    efficiency: a.dive.efficiencyScore,
    wastedBytes,
    userSizeBytes,
    userWastedPercent: userSizeBytes > 0 ? wastedBytes / userSizeBytes : wastedBytes === 0 ? 0 : null,
    sizeBytes: a.dive.sizeBytes,
    layerCount: layers.length,
    baseLayers: Math.min(base, layers.length),
    reclaimableBytes: scopedReclaimable(a, scope, ignored),
    inefficientFiles,
    findings: a.findings.filter((f) => (scope.baseLayers === undefined || f.layer >= base) && !(f.paths.length > 0 && f.paths.every((p) => ignored(`/${p}`)))),
    ...(baseline ? { baseline } : {}),
  };
}

function scopedReclaimable(a: ImageAnalysisResult, scope: GateScope, ignored: (path: string) => boolean): number {
  if (scope.baseLayers === undefined && !scope.ignore?.length) return a.reclaim.totalBytes;
  const rows = a.reclaim.rows;
  let sum = 0;
  for (let i = 0; i < rows.count; i++) {
    if (scope.baseLayers !== undefined && rows.layer[i]! < scope.baseLayers) continue;
    if (scope.ignore?.length && ignored(`/${a.merged.path(rows.node[i]!)}`)) continue;
    sum += rows.bytes[i]!;
  }
  return sum;
}

/** Did a layer at or above `base` write, change or remove this path (dive's path, leading '/')? */
function touchedAbove(a: ImageAnalysisResult, path: string, base: number): boolean {
  const node = a.merged.findPath(path.replace(/^\/+/, ''));
  if (node < 0) return true;
  const history = a.merged.history(node);
  // A directory dive saw only as an implied parent has no event of its own: count it.
  return history.length === 0 || history.some((h) => h.layer >= base);
}

/**
 * Glob matching over absolute paths: `**` crosses directories, `*` and `?` stay within a name.
 * A pattern without a leading '/' matches at any depth (`*.pyc` is `**\/*.pyc`); a pattern that
 * matches a directory also matches everything below it.
 */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const res = globs.map(globToRegExp);
  return (path) => res.some((re) => re.test(path));
}

export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/\/+$/, '');
  if (!g.startsWith('/')) g = `**/${g}`;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      i++;
      if (g[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`, 's');
}

/** How many bottom layers an image shares with a base image, compared by diff_id (else blob digest). */
export function sharedBaseLayers(image: readonly { key: string }[], base: readonly { key: string }[]): number {
  let n = 0;
  while (n < image.length && n < base.length && image[n]!.key === base[n]!.key) n++;
  return n;
}
