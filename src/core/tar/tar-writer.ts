// Writing tar, one entry at a time, for "save this directory as a tar" (issue #15): the caller
// writes an entry's header, then its body in as many chunks as it likes, then its padding, so an
// archive of any size streams through without being held whole. Pure: bytes in, bytes out.
//
// Format: POSIX.1-2017 pax "ustar Interchange Format" headers, and a pax extended header
// (typeflag 'x', "Extended header keywords") before an entry whose path, link target, size or ids
// do not fit ustar's fields: a path that cannot be split into prefix (155) + name (100), a
// non-ASCII path or link target (pax records are UTF-8; ustar fields have no encoding), a link
// target over 100 bytes, a size of 8 GiB or more, an id above 0o7777777. GNU tar, bsdtar and our
// own walker read these.

import { BLOCK, padding } from './types';
import { utf8Length } from '../utf8';

export type TarWriteType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface TarWriteEntry {
  /** No leading '/'; a directory gets its trailing '/' here. */
  path: string;
  type: TarWriteType;
  /** Permission bits (mode & 0o7777 is written). */
  mode: number;
  /** Body bytes that follow the header: a regular file's size, 0 for every other type. */
  size: number;
  /** Target of a symlink or hard link. */
  linkName?: string;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch; 0 when absent. */
  mtime?: number;
  devMajor?: number;
  devMinor?: number;
}

const TYPEFLAG: Record<TarWriteType, string> = {
  file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6',
};

const MAX_SIZE = 0o77777777777; // 11 octal digits
const MAX_ID = 0o7777777; // 7 octal digits
const encoder = new TextEncoder();

/** The two zero blocks that end an archive (POSIX ustar). */
export const TAR_END_BLOCKS = new Uint8Array(2 * BLOCK);

/** The header block(s) of `entry`: a pax extended header first when ustar cannot hold it. */
export function tarHeader(entry: TarWriteEntry): Uint8Array {
  if (entry.size < 0 || !Number.isSafeInteger(entry.size)) throw new Error(`tar: size ${entry.size} of ${entry.path} is not a byte count`);
  if (entry.type !== 'file' && entry.size !== 0) throw new Error(`tar: a ${entry.type} (${entry.path}) has no body`);
  const path = entry.type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const link = entry.linkName ?? '';
  const uid = entry.uid ?? 0;
  const gid = entry.gid ?? 0;
  const pax: [string, string][] = [];
  const split = splitUstarPath(path);
  if (!split) pax.push(['path', path]);
  if (!isAscii(link) || utf8Length(link) > 100) pax.push(['linkpath', link]);
  if (entry.size > MAX_SIZE) pax.push(['size', String(entry.size)]);
  if (uid > MAX_ID) pax.push(['uid', String(uid)]);
  if (gid > MAX_ID) pax.push(['gid', String(gid)]);

  const main = ustarBlock({
    name: split?.name ?? asciiTail(path, 100), prefix: split?.prefix ?? '',
    mode: entry.mode & 0o7777, uid: Math.min(uid, MAX_ID), gid: Math.min(gid, MAX_ID),
    size: Math.min(entry.size, MAX_SIZE), mtime: Math.max(0, Math.floor(entry.mtime ?? 0)),
    typeflag: TYPEFLAG[entry.type], linkName: pax.some(([k]) => k === 'linkpath') ? asciiTail(link, 100) : link,
    devMajor: entry.devMajor ?? 0, devMinor: entry.devMinor ?? 0,
  });
  if (pax.length === 0) return main;
  const body = paxRecords(pax);
  const head = ustarBlock({
    name: asciiTail(`PaxHeaders/${path.replace(/\/$/, '').split('/').pop() ?? ''}`, 100), prefix: '',
    mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: 0, typeflag: 'x', linkName: '', devMajor: 0, devMinor: 0,
  });
  const out = new Uint8Array(BLOCK + body.length + padding(body.length) + BLOCK);
  out.set(head, 0);
  out.set(body, BLOCK);
  out.set(main, out.length - BLOCK);
  return out;
}

/** The zero bytes after a body of `size` bytes, up to the next block boundary. */
export function tarPadding(size: number): Uint8Array {
  return new Uint8Array(padding(size));
}

/**
 * POSIX pax records, each "<length> <key>=<value>\n" where <length> counts the whole record,
 * its own digits included.
 */
function paxRecords(records: [string, string][]): Uint8Array {
  let text = '';
  for (const [k, v] of records) {
    const rest = ` ${k}=${v}\n`;
    const restLen = utf8Length(rest);
    let len = restLen + 1;
    while (restLen + String(len).length !== len) len = restLen + String(len).length;
    text += `${len}${rest}`;
  }
  return encoder.encode(text);
}

/** ustar's name/prefix split (at a '/', name <= 100 and prefix <= 155 bytes), or null. */
function splitUstarPath(path: string): { name: string; prefix: string } | null {
  if (!isAscii(path)) return null;
  if (path.length <= 100) return { name: path, prefix: '' };
  // A directory's trailing '/' stays on the name, so search for a split before it.
  for (let i = path.lastIndexOf('/', path.length - 2); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (name.length > 100) return null;
    if (prefix.length <= 155 && name.length > 0) return { name, prefix };
  }
  return null;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e || s.charCodeAt(i) < 0x20) return false;
  return true;
}

/** A stand-in for a field the pax header overrides: printable ASCII, at most `max` bytes. */
function asciiTail(s: string, max: number): string {
  const ascii = s.replace(/[^\x20-\x7e]/g, '_');
  return ascii.length <= max ? ascii : ascii.slice(ascii.length - max);
}

interface UstarFields {
  name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number;
  typeflag: string; linkName: string; devMajor: number; devMinor: number;
}

function ustarBlock(f: UstarFields): Uint8Array {
  const b = new Uint8Array(BLOCK);
  const text = (off: number, len: number, s: string) => b.set(encoder.encode(s).subarray(0, len), off);
  // Octal, zero-padded to len-1 digits, then NUL (the form GNU tar writes).
  const octal = (off: number, len: number, n: number) => text(off, len, `${n.toString(8).padStart(len - 1, '0')}\0`);
  text(0, 100, f.name);
  octal(100, 8, f.mode);
  octal(108, 8, f.uid);
  octal(116, 8, f.gid);
  octal(124, 12, f.size);
  octal(136, 12, f.mtime);
  b.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  text(156, 1, f.typeflag);
  text(157, 100, f.linkName);
  text(257, 6, 'ustar\0');
  text(263, 2, '00');
  // uname/gname (265, 297) stay empty: readers then use the numeric ids.
  octal(329, 8, f.devMajor);
  octal(337, 8, f.devMinor);
  text(345, 155, f.prefix);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i]!;
  text(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return b;
}
