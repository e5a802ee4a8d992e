// Python packages: `<site-packages>/<name>-<version>.dist-info/` holds METADATA (email-style headers)
// and RECORD (CSV: path,hash,size per installed file; PEP 376 / PEP 627). RECORD paths are relative
// to site-packages and may climb out of it (`../../../bin/torchrun`).

import { basename, dirname, resolvePath } from './text';
import type { Candidate, ReadContext } from './types';

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
export function parseCsv(text: string, warn: (message: string) => void): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  const endRow = () => {
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  while (i <= n) {
    let field: string;
    if (text[i] === '"') {
      field = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          warn('unterminated quoted field');
          field += text.slice(j);
          j = n;
          break;
        }
        field += text.slice(j, q);
        if (text[q + 1] === '"') {
          field += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      i = j;
      // Anything between the closing quote and the next separator is junk; keep it, as csv does.
      const stop = nextSeparator(text, i);
      field += text.slice(i, stop);
      i = stop;
    } else {
      const stop = nextSeparator(text, i);
      field = text.slice(i, stop);
      i = stop;
    }
    row.push(field.endsWith('\r') ? field.slice(0, -1) : field);
    if (i >= n) break;
    if (text[i] === '\n') endRow();
    i++;
  }
  if (row.length > 0) endRow();
  return rows;
}

function nextSeparator(text: string, from: number): number {
  for (let k = from; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 44 || c === 10) return k; // ',' or '\n'
  }
  return text.length;
}

/** RECORD rows -> paths relative to the image root. */
export function parseRecord(text: string, sitePackages: string, warn: (message: string) => void): string[] {
  const out: string[] = [];
  const rows = parseCsv(text, warn);
  for (let r = 0; r < rows.length; r++) {
    const rel = rows[r]![0] ?? '';
    const p = rel === '' ? null : resolvePath(sitePackages, rel);
    if (p) out.push(p);
    else warn(`row ${r + 1} has no usable path`);
  }
  return out;
}

/** Name and Version from METADATA's header block (the body after the first blank line is prose). */
export function parseMetadata(text: string): { name?: string; version?: string } {
  const out: { name?: string; version?: string } = {};
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const field = line.slice(0, colon).toLowerCase();
    if (field === 'name' && out.name === undefined) out.name = line.slice(colon + 1).trim();
    else if (field === 'version' && out.version === undefined) out.version = line.slice(colon + 1).trim();
  }
  return out;
}

export function readPip(ctx: ReadContext): Candidate[] {
  const dirs = new Set<string>();
  for (const path of ctx.live.keys()) {
    const base = basename(path);
    if ((base === 'RECORD' || base === 'METADATA') && dirname(path).endsWith('.dist-info')) dirs.add(dirname(path));
  }
  const out: Candidate[] = [];
  for (const dir of dirs) {
    const meta = ctx.live.get(`${dir}/METADATA`);
    const record = ctx.live.get(`${dir}/RECORD`);
    const fromMeta = meta ? parseMetadata(ctx.text(meta.path)) : {};
    // `<name>-<version>.dist-info`: the name has its dashes replaced by underscores, so split at the first.
    const stem = basename(dir).slice(0, -'.dist-info'.length);
    const dash = stem.indexOf('-');
    const source = (meta ?? record)!;
    if (!meta) ctx.warn('pip-metadata', 'no METADATA captured; name and version from the directory', dir, source.layer);
    let declared: string[] = [];
    if (record) {
      const warn = (m: string) => ctx.warn('pip-record', m, record.path, record.layer);
      declared = parseRecord(ctx.text(record.path), dirname(dir), warn);
    }
    out.push({
      name: fromMeta.name || (dash < 0 ? stem : stem.slice(0, dash)),
      version: fromMeta.version || (dash < 0 ? '' : stem.slice(dash + 1)),
      ecosystem: 'pip',
      layer: source.layer,
      source: source.path,
      declared,
    });
  }
  return out;
}
