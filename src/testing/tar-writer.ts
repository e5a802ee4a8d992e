// Deterministic tar writing over tar-stream's pack side. Node-only: fixtures for tests and the demo.
//
// What tar-stream's pack does with awkward entries (checked in node_modules/tar-stream 3.x):
// - names up to 100 bytes go in the ustar `name` field; longer ASCII names are split at a '/' into
//   the 155-byte ustar `prefix` + `name` (POSIX ustar). When no split fits, or the name or linkname
//   is not ASCII, or a linkname is over 100 bytes, it writes a PAX extended header (typeflag 'x',
//   records `path=` / `linkpath=`) and the real header that follows it is also named `PaxHeader`.
// - it never writes GNU `././@LongLink` entries.
// - directory names do not get their trailing '/' (see toHeader).
// - a mode of 0 is replaced by its default (0644/0755), so we OR in the S_IFMT type bits, which
//   the encoder masks off again (`mode & 07777`): a spec mode of 0 really is written as 0.
// - numeric fields that overflow octal are written as all-sevens; we send large uid/gid via PAX.

import { pack, type Header } from 'tar-stream';

type HeaderArgument = Partial<Header> & Pick<Header, 'name'>;

export type FileType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface FileSpec {
  /** Path inside the archive, no leading '/' (a trailing '/' on directories is added for you). */
  path: string;
  type?: FileType;
  content?: string | Uint8Array;
  /** Zero-filled content of this many bytes (ignored when `content` is given). */
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  /** Target of a symlink or hard link. */
  linkname?: string;
  /** Seconds since the epoch. */
  mtime?: number;
  /** Device numbers of char/block devices. */
  devmajor?: number;
  devminor?: number;
}

/** 2024-05-01T12:00:00Z: every entry gets this mtime unless its spec says otherwise. */
export const FIXED_MTIME = 1714564800;

const TAR_TYPE: Record<FileType, Header['type']> = {
  file: 'file',
  dir: 'directory',
  symlink: 'symlink',
  hardlink: 'link',
  char: 'character-device',
  block: 'block-device',
  fifo: 'fifo',
};

// S_IFMT bits (POSIX <sys/stat.h>); only used to keep tar-stream from treating mode 0 as "unset".
const TYPE_BITS: Record<FileType, number> = {
  file: 0o100000,
  dir: 0o040000,
  symlink: 0o120000,
  hardlink: 0o100000,
  char: 0o020000,
  block: 0o060000,
  fifo: 0o010000,
};

const MAX_OCTAL_ID = 0o7777777;

const encoder = new TextEncoder();

export function fileBytes(spec: FileSpec): Uint8Array {
  if (spec.content !== undefined) {
    return typeof spec.content === 'string' ? encoder.encode(spec.content) : spec.content;
  }
  return new Uint8Array(spec.size ?? 0);
}

function defaultMode(type: FileType): number {
  if (type === 'dir') return 0o755;
  if (type === 'symlink') return 0o777;
  return 0o644;
}

function toHeader(spec: FileSpec): { header: HeaderArgument; body: Buffer | undefined } {
  const type = spec.type ?? 'file';
  const hasBody = type === 'file';
  const body = hasBody ? Buffer.from(fileBytes(spec)) : undefined;
  const uid = spec.uid ?? 0;
  const gid = spec.gid ?? 0;
  const header: HeaderArgument = {
    // tar-stream 3 means to append '/' to directory names but tests `typeflag`, which pack never
    // sets, so we do it: Docker's layer tars and GNU tar both write `dir/`.
    name: type === 'dir' && !spec.path.endsWith('/') ? `${spec.path}/` : spec.path,
    type: TAR_TYPE[type],
    mode: (spec.mode ?? defaultMode(type)) | TYPE_BITS[type],
    uid: Math.min(uid, MAX_OCTAL_ID),
    gid: Math.min(gid, MAX_OCTAL_ID),
    uname: spec.uname,
    gname: spec.gname,
    mtime: new Date((spec.mtime ?? FIXED_MTIME) * 1000),
    size: body?.byteLength ?? 0,
    linkname: spec.linkname,
    devmajor: spec.devmajor ?? 0,
    devminor: spec.devminor ?? 0,
  };
  if (uid > MAX_OCTAL_ID || gid > MAX_OCTAL_ID) {
    // PAX records `uid`/`gid` (POSIX.1-2001 pax "Extended header keywords").
    header.pax = { uid: String(uid), gid: String(gid) };
  }
  if ((type === 'symlink' || type === 'hardlink') && !spec.linkname) {
    throw new Error(`${type} ${spec.path} needs a linkname`);
  }
  return { header, body };
}

function addEntry(p: ReturnType<typeof pack>, spec: FileSpec): Promise<void> {
  const { header, body } = toHeader(spec);
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    if (body) p.entry(header, body, done);
    else p.entry(header, done);
  });
}

async function packAll(files: FileSpec[]): Promise<Uint8Array> {
  const p = pack();
  const chunks: Uint8Array[] = [];
  const drained = (async () => {
    for await (const chunk of p) chunks.push(chunk as Uint8Array);
  })();
  for (const f of files) await addEntry(p, f);
  p.finalize();
  await drained;
  return concatBytes(chunks);
}

/** A whole tar: the entries in the given order, then the two zero blocks (POSIX end of archive). */
export async function writeTar(files: FileSpec[]): Promise<Uint8Array> {
  return packAll(files);
}

/** One byte run per entry (header, PAX header if any, content, padding), without the end blocks.
 *  Concatenating them plus `TAR_END` gives exactly `writeTar(files)`. */
export async function writeTarEntries(files: FileSpec[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const f of files) {
    const one = await packAll([f]);
    out.push(one.subarray(0, one.byteLength - TAR_END.byteLength));
  }
  return out;
}

export const TAR_END = new Uint8Array(1024);

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Deterministic incompressible bytes (xorshift32), for binaries whose size should look real. */
export function noise(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seed | 0) || 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Deterministic lower-case letters (xorshift32): text that compresses, but not to nothing. */
export function letters(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = 0x61 + (x % 26); }
  return out;
}
