// npm packages: `node_modules/<name>/package.json` or `node_modules/@scope/<name>/package.json`.
// A package owns its whole directory except what a nested node_modules package owns.

import { basename, dirname, parseJsonObject } from './text';
import type { Candidate, ReadContext } from './types';

export function parsePackageJson(text: string, warn: (message: string) => void): { name?: string; version?: string } | null {
  const o = parseJsonObject(text, warn);
  if (!o) return null;
  return {
    name: typeof o.name === 'string' ? o.name : undefined,
    version: typeof o.version === 'string' ? o.version : undefined,
  };
}

const PACKAGE_DIR = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/@.][^/]*)$/;

export function readNpm(ctx: ReadContext): Candidate[] {
  const out: Candidate[] = [];
  for (const [path, cap] of ctx.live) {
    if (basename(path) !== 'package.json') continue;
    const dir = dirname(path);
    const m = PACKAGE_DIR.exec(dir);
    if (!m) continue;
    const pj = parsePackageJson(ctx.text(path), (msg) => ctx.warn('npm-package-json', msg, path, cap.layer));
    if (!pj) continue;
    out.push({
      name: pj.name || m[1]!,
      version: pj.version ?? '',
      ecosystem: 'npm',
      layer: cap.layer,
      source: path,
      declared: null,
      dir,
    });
  }
  return out;
}

/** The deepest npm package directory `path` lies under, by the index of its candidate. */
export function npmOwnerOf(path: string, dirs: ReadonlyMap<string, number>): number | undefined {
  let from = path.length;
  while (from > 0) {
    const i = path.lastIndexOf('node_modules/', from - 1);
    if (i < 0) return undefined;
    if (i === 0 || path.charCodeAt(i - 1) === 47) {
      const nameStart = i + 'node_modules/'.length;
      let end = path.indexOf('/', nameStart);
      if (end > 0 && path.charCodeAt(nameStart) === 64 /* @ */) end = path.indexOf('/', end + 1);
      const owner = end > 0 ? dirs.get(path.slice(0, end)) : undefined;
      if (owner !== undefined) return owner;
    }
    from = i;
  }
  return undefined;
}
