// PAX extended header records (POSIX.1-2017 pax, "pax Extended Header"): each record is
// "<length> <keyword>=<value>\n" where <length> counts the whole record in decimal. Keywords are
// archive-controlled strings such as `__proto__`, so they live in a Map, never an object literal.

import { decodeUtf8 } from '../utf8';

export type PaxRecords = Map<string, string>;

const SPARSE_LISTS = new Set(['GNU.sparse.offset', 'GNU.sparse.numbytes']);

/**
 * Parse the body of an 'x' or 'g' header. Returns the records read before any malformed one and
 * whether the whole body parsed (trailing NUL padding is tolerated).
 */
export function parsePax(body: Uint8Array): { records: PaxRecords; ok: boolean } {
  const records: PaxRecords = new Map();
  let i = 0;
  const n = body.length;
  while (i < n && body[i] !== 0) {
    let len = 0;
    let j = i;
    while (j < n && body[j]! >= 0x30 && body[j]! <= 0x39) len = len * 10 + (body[j++]! - 0x30);
    const end = i + len;
    // The length counts itself, the space, a keyword and the newline: anything shorter or running
    // past the body is malformed (and a length of 0 would never advance).
    if (j === i || body[j] !== 0x20 || end <= j + 2 || end > n || body[end - 1] !== 0x0a) {
      return { records, ok: false };
    }
    let eq = j + 1;
    while (eq < end && body[eq] !== 0x3d) eq++;
    if (eq >= end) return { records, ok: false };
    const key = decodeUtf8(body, j + 1, eq);
    const value = decodeUtf8(body, eq + 1, end - 1);
    // GNU sparse 0.0 repeats GNU.sparse.offset / GNU.sparse.numbytes once per segment, in order
    // (GNU tar manual, "PAX Format, Versions 0.0 and 0.1"): kept as one comma-joined list.
    const prev = SPARSE_LISTS.has(key) ? records.get(key) : undefined;
    records.set(key, prev === undefined ? value : `${prev},${value}`);
    i = end;
  }
  return { records, ok: true };
}

/**
 * Look a keyword up in the entry's 'x' records ('g' records are not applied: header-decoder.ts).
 * An empty value deletes the keyword (POSIX pax: "If the <value> field is zero length, it shall
 * delete any header block field, previously entered extended header value, or global extended
 * header value"), so the header block's field applies again.
 */
export function paxGet(local: PaxRecords | null, key: string): string | undefined {
  const v = local?.get(key);
  return v === '' ? undefined : v;
}

/** A PAX numeric value (decimal, possibly fractional for times), or undefined if absent/invalid. */
export function paxNumber(local: PaxRecords | null, key: string): number | undefined {
  const v = paxGet(local, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

const SCHILY = 'SCHILY.xattr.';
const LIBARCHIVE = 'LIBARCHIVE.xattr.';

/**
 * Extended attributes: star/GNU tar write `SCHILY.xattr.<name>=<raw value>`; libarchive also writes
 * `LIBARCHIVE.xattr.<url-encoded name>=<base64 value>`. SCHILY wins when both name one attribute.
 */
export function collectXattrs(records: PaxRecords): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const [key, value] of records) {
    let name: string;
    let decoded: string;
    if (key.startsWith(SCHILY)) {
      name = key.slice(SCHILY.length);
      decoded = value;
    } else if (key.startsWith(LIBARCHIVE)) {
      name = decodeUrlName(key.slice(LIBARCHIVE.length));
      if (records.has(SCHILY + name)) continue;
      decoded = decodeBase64Text(value);
    } else continue;
    out ??= Object.create(null) as Record<string, string>;
    if (value === '') delete out[name];
    else out[name] = decoded;
  }
  return out;
}

function decodeUrlName(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function decodeBase64Text(s: string): string {
  try {
    const bin = atob(s);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return decodeUtf8(bytes);
  } catch {
    return s;
  }
}
