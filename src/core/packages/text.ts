// Small text helpers shared by the database parsers. Every parser is fed bytes that may be junk
// (truncated layers, binary files with a database's name), so nothing here throws.

import type { PackageWarningCode, Warning } from '../types';

// fatal: false turns invalid UTF-8 into U+FFFD instead of throwing.
const decoder = new TextDecoder('utf-8', { fatal: false });

export function decodeText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Lines without their terminators; tolerates CRLF. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/**
 * Collects warnings for one source file, keeping the first few: a binary file parsed as a database
 * would otherwise produce one warning per line and bury the useful ones.
 */
export class WarningSink {
  private counts = new Map<string, number>();
  constructor(readonly out: Warning[], private readonly limitPerSource = 5) {}

  add(code: PackageWarningCode, message: string, entry: string, layer?: number): void {
    const n = (this.counts.get(entry) ?? 0) + 1;
    this.counts.set(entry, n);
    if (n <= this.limitPerSource) this.out.push({ code, message, entry, layer });
    else if (n === this.limitPerSource + 1) {
      this.out.push({ code: 'package-db-more', message: 'further problems in this file not shown', entry, layer });
    }
  }
}

/**
 * Resolve `rel` against the directory `base` (both relative, `/`-separated). A leading `/` makes
 * `rel` absolute (relative to the image root). Returns null when `..` climbs above the root.
 */
export function resolvePath(base: string, rel: string): string | null {
  const absolute = rel.startsWith('/');
  const parts = absolute || base === '' ? [] : base.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/** Directory part of a relative path ('' for a top-level name). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * deb822 paragraphs (Debian Policy 5.1): `Field: value`, continuation lines start with a space or
 * tab, paragraphs are separated by blank lines. Field names are case-insensitive, so keys are
 * lower-cased. A Map, because package data may name a field `__proto__`.
 */
export function parseParagraphs(text: string, onJunk: (line: number) => void): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur: Map<string, string> | null = null;
  let lastKey: string | null = null;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      if (cur) out.push(cur);
      cur = null;
      lastKey = null;
      continue;
    }
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) {
      if (cur && lastKey !== null) cur.set(lastKey, `${cur.get(lastKey)}\n${line.slice(1)}`);
      else onJunk(i + 1);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      onJunk(i + 1);
      continue;
    }
    lastKey = line.slice(0, colon).trim().toLowerCase();
    cur ??= new Map();
    cur.set(lastKey, line.slice(colon + 1).trim());
  }
  if (cur) out.push(cur);
  return out;
}

/** A JSON object parsed from junk-tolerant input; null (with a warning) for anything else. */
export function parseJsonObject(text: string, warn: (message: string) => void): Record<string, unknown> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    warn('not valid JSON');
    return null;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    warn('not a JSON object');
    return null;
  }
  return json as Record<string, unknown>;
}
