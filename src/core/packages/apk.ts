// Alpine packages: `lib/apk/db/installed`, one block per package separated by blank lines;
// `P:` name, `V:` version, `F:` a directory, `R:` a file in the latest `F:` directory.

import { installLayerOf, type VersionMap } from './db-history';
import { resolvePath, splitLines } from './text';
import type { Candidate, ReadContext } from './types';

export interface ApkEntry {
  name: string;
  version: string;
  files: string[];
}

export function parseApkInstalled(text: string, warn: (message: string) => void): ApkEntry[] {
  const out: ApkEntry[] = [];
  let cur: ApkEntry | null = null;
  let dir = '';
  const finish = () => {
    if (cur && cur.name) out.push(cur);
    else if (cur) warn('package block without a P: line');
    cur = null;
    dir = '';
  };
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      finish();
      continue;
    }
    if (line.length < 2 || line[1] !== ':') {
      warn(`line ${i + 1} is not "X:value"`);
      continue;
    }
    cur ??= { name: '', version: '', files: [] };
    const value = line.slice(2);
    switch (line[0]) {
      case 'P': cur.name = value; break;
      case 'V': cur.version = value; break;
      case 'F': dir = resolvePath('', value) ?? ''; break;
      case 'R': {
        const p = resolvePath(dir, value);
        if (p) cur.files.push(p);
        break;
      }
    }
  }
  finish();
  return out;
}

const DB = 'lib/apk/db/installed';

export function readApk(ctx: ReadContext): Candidate[] {
  const cap = ctx.live.get(DB);
  if (!cap) return [];
  const entries = parseApkInstalled(ctx.text(DB), (m) => ctx.warn('apk-db', m, DB, cap.layer));
  const layerOf = installLayerOf(ctx, DB, cap.layer, versions);
  return entries.map((e) => ({
    name: e.name,
    version: e.version,
    ecosystem: 'apk',
    layer: layerOf(e.name, e.version),
    source: DB,
    declared: e.files,
  }));
}

function versions(text: string): VersionMap {
  const m: VersionMap = new Map();
  for (const e of parseApkInstalled(text, () => {})) m.set(e.name, e.version);
  return m;
}
