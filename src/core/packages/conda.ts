// conda packages: `<prefix>/conda-meta/<name>-<version>-<build>.json`, listing the files it put
// under the prefix in `files` (and, in newer conda, in `paths_data.paths[]._path`).

import { dirname, parseJsonObject, resolvePath } from './text';
import type { Candidate, ReadContext } from './types';

export interface CondaRecord {
  name: string;
  version: string;
  /** Paths relative to the environment prefix. */
  files: string[];
}

export function parseCondaMeta(text: string, warn: (message: string) => void): CondaRecord | null {
  const json = parseJsonObject(text, warn);
  if (!json) return null;
  if (typeof json.name !== 'string') {
    warn('no "name" string');
    return null;
  }
  const version = typeof json.version === 'string' ? json.version : '';
  let files = strings(json.files);
  if (files.length === 0 && isObject(json.paths_data) && Array.isArray(json.paths_data.paths)) {
    files = strings(json.paths_data.paths.map((p: unknown) => (isObject(p) ? p._path : undefined)));
  }
  return { name: json.name, version, files };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

export function readConda(ctx: ReadContext): Candidate[] {
  const out: Candidate[] = [];
  for (const [path, cap] of ctx.live) {
    if (!path.endsWith('.json')) continue;
    const metaDir = dirname(path);
    if (!(metaDir === 'conda-meta' || metaDir.endsWith('/conda-meta'))) continue;
    const rec = parseCondaMeta(ctx.text(path), (m) => ctx.warn('conda-meta', m, path, cap.layer));
    if (!rec) continue;
    const prefix = dirname(metaDir);
    const declared: string[] = [];
    for (const f of rec.files) {
      const p = resolvePath(prefix, f.startsWith('/') ? f.slice(1) : f);
      if (p) declared.push(p);
    }
    out.push({ name: rec.name, version: rec.version, ecosystem: 'conda', layer: cap.layer, source: path, declared });
  }
  return out;
}
