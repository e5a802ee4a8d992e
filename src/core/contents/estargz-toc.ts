// eStargz's table of contents (containerd/stargz-snapshotter docs/estargz.md): how a file of an
// estargz layer is read from exactly its own gzip member, and checked against the sha256 the TOC
// gives for it, instead of decoding up to 1 MiB before it from the nearest restart point.
//
// The layout (the spec's words): the blob ends with a 51-byte footer, an empty gzip member whose
// extra field holds the subfield 'S','G' of 22 bytes: the TOC member's offset as 16 hex digits and
// "STARGZ". The TOC member holds a tar entry `stargz.index.json` whose body is the JSON TOC. Each
// regular file's data starts a new gzip member (its tar header ends the member before); a large
// file is cut into chunks, each in its own member: the "reg" entry is its first chunk, "chunk"
// entries follow with the same name. `offset` is where the member holding the chunk starts,
// `innerOffset` where in its output the chunk starts, `chunkOffset`/`chunkSize` the chunk's place
// in the file (a chunkSize of 0: to the end of the file), `chunkDigest` its sha256 and `digest`
// the whole file's. A chunk's member ends where the next larger offset starts, or the TOC.
//
// Where the TOC is parsed: lazily, on the first read of a file of a layer whose last 51 bytes the
// first pass found to be an estargz footer (LayerBytes.estargz; it keeps those bytes as the blob
// streams by, so this costs no read: the tar walk cannot tell, as estargz puts the TOC entry after
// the tar's end marker), then from the footer by two range reads (a registry layer: two HTTP range
// requests), and kept per layer source. The first pass keeps nothing per file for it; a layer
// whose files are never opened never pays for its TOC (tens of MB of JSON for a large layer); and
// the TOC read is the one the reads then use.
//
// A TOC that cannot be used (a footer that is not one, a TOC past the end, not JSON, too large,
// offsets out of order or out of the blob) is refused whole with a ContentError saying why: the
// reader then falls back to the member restarts the first pass recorded and says so (`note`). A
// file the TOC describes differently from the tar (size, chunks that do not tile it) is read the
// same fallback way. Bytes read through the TOC that do not decode or do not match its sha256 are
// an error: never other bytes.

import { createSha256, decompressStream } from '../codec';
import { normalisePath, TarWalker, type TarEntry } from '../tar';
import type { ByteSource } from '../source/types';
import { ContentError } from './errors';
import type { BodyWindow, LayerBytes } from './read-body';

export const FOOTER_SIZE = 51;
/** A TOC member (stored) or its JSON (decoded) larger than this is refused: 300,000 files make ~100 MB. */
export const MAX_TOC_BYTES = 128 << 20;

export interface TocChunk {
  /** Stored offset of the gzip member holding the chunk, and where the next one starts. */
  offset: number;
  end: number;
  /** Where in that member's output the chunk starts. */
  inner: number;
  /** The chunk's place in the file. */
  chunkOffset: number;
  chunkSize: number;
  chunkDigest?: string;
}

export interface TocFile {
  size: number;
  digest?: string;
  chunks: TocChunk[];
  /** Why this file cannot be read through the TOC (it is then read the fallback way). */
  problem?: string;
}

export interface EstargzToc {
  tocOffset: number;
  files: Map<string, TocFile>;
  /** Stored bytes read to get it (footer and TOC member). */
  storedBytes: number;
}

type TocResult = { toc: EstargzToc } | { problem: ContentError };

const cache = new WeakMap<ByteSource, Promise<TocResult>>();

/** The layer's TOC, read once per source; a problem is remembered too (it will not get better). */
export async function estargzToc(source: ByteSource, signal?: AbortSignal): Promise<TocResult & { loaded: boolean }> {
  let p = cache.get(source);
  const loaded = !p;
  if (!p) {
    p = readToc(source, signal).then((toc): TocResult => ({ toc }), (e: unknown): TocResult => {
      if (signal?.aborted || !(e instanceof ContentError)) throw e;
      return { problem: e };
    });
    cache.set(source, p);
    // A read given up (aborted) or failed by the medium is tried again next time.
    p.catch(() => cache.delete(source));
  }
  return { ...(await p), loaded };
}

const bad = (what: string) => new ContentError('content-corrupt', `estargz TOC: ${what}`);
const DIGEST = /^sha256:[0-9a-f]{64}$/;

async function readToc(source: ByteSource, signal?: AbortSignal): Promise<EstargzToc> {
  const size = source.size;
  if (size < FOOTER_SIZE) throw bad(`the layer (${size} bytes) is shorter than the ${FOOTER_SIZE}-byte footer`);
  const footer = await source.read(size - FOOTER_SIZE, FOOTER_SIZE, signal);
  const tocOffset = parseFooter(footer, size);
  const tocEnd = size - FOOTER_SIZE;
  if (tocEnd - tocOffset > MAX_TOC_BYTES) throw bad(`the TOC member at byte ${tocOffset} is ${tocEnd - tocOffset} bytes, more than the ${MAX_TOC_BYTES} read`);
  const json = await tocJson(source, tocOffset, tocEnd, signal);
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    throw bad(`stargz.index.json (in the member at byte ${tocOffset}) is not JSON: ${(e as Error).message}`);
  }
  return { tocOffset, files: tocFiles(doc, tocOffset), storedBytes: FOOTER_SIZE + tocEnd - tocOffset };
}

/** The TOC offset an estargz footer (the blob's last FOOTER_SIZE bytes) gives, or undefined. */
export function footerTocOffset(footer: Uint8Array, size: number): number | undefined {
  if (footer.length !== FOOTER_SIZE) return undefined;
  try {
    return parseFooter(footer, size);
  } catch {
    return undefined;
  }
}

/** The TOC offset the footer gives (RFC 1952 header with FEXTRA; subfield 'S','G'). */
function parseFooter(f: Uint8Array, size: number): number {
  const at = `the last ${FOOTER_SIZE} bytes of the layer (from byte ${size - FOOTER_SIZE})`;
  if (f[0] !== 0x1f || f[1] !== 0x8b || f[2] !== 8 || !(f[3]! & 4)) throw bad(`${at} are not a gzip member with an extra field: no estargz footer`);
  const xlen = f[10]! | (f[11]! << 8);
  if (xlen !== 26 || f[12] !== 0x53 || f[13] !== 0x47 || (f[14]! | (f[15]! << 8)) !== 22) throw bad(`${at}: the footer's extra field is not the 'SG' subfield of 22 bytes`);
  const text = String.fromCharCode(...f.subarray(16, 38));
  if (!/^[0-9a-f]{16}STARGZ$/i.test(text)) throw bad(`${at}: the footer says ${JSON.stringify(text)}, not 16 hex digits and "STARGZ"`);
  const offset = parseInt(text.slice(0, 16), 16);
  if (!Number.isSafeInteger(offset) || offset >= size - FOOTER_SIZE) throw bad(`the footer puts the TOC at byte ${text.slice(0, 16)} (hex), past the end of the layer's ${size - FOOTER_SIZE} bytes before the footer`);
  return offset;
}

/** The body of the tar entry `stargz.index.json` in the gzip member(s) of [from, to). */
async function tocJson(source: ByteSource, from: number, to: number, signal?: AbortSignal): Promise<Uint8Array> {
  const plain = decompressStream('gzip', source.stream(from, to, signal), { ...(signal ? { signal } : {}), onWarning: () => undefined });
  const parts: Uint8Array[] = [];
  let have = 0;
  let name: string | undefined;
  let done = false;
  let decoded = 0;
  const walker = new TarWalker({
    onEntry: (e) => {
      if (name !== undefined) return;
      name = e.path;
      if (e.path !== 'stargz.index.json') return;
      if (e.stored > MAX_TOC_BYTES) throw bad(`stargz.index.json is ${e.stored} bytes, more than the ${MAX_TOC_BYTES} read`);
      return { write: (c) => { parts.push(c.slice()); have += c.length; }, end: () => { done = true; } };
    },
  });
  const reader = plain.getReader();
  try {
    while (!done) {
      const { value, done: end } = await reader.read();
      if (end) break;
      decoded += value.length;
      if (decoded > MAX_TOC_BYTES + 4096) throw bad(`the TOC member at byte ${from} decodes to more than ${MAX_TOC_BYTES} bytes`);
      walker.push(value);
      if (name !== undefined && name !== 'stargz.index.json') throw bad(`the member at byte ${from} the footer points to holds ${JSON.stringify(name)}, not stargz.index.json`);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    if (e instanceof ContentError || signal?.aborted) throw e;
    throw bad(`the TOC member at byte ${from} does not decode: ${(e as Error).message}`);
  }
  await reader.cancel().catch(() => undefined);
  if (!done) throw bad(`the member at byte ${from} ends before stargz.index.json does`);
  const out = new Uint8Array(have);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const optCount = (v: unknown): boolean => v === undefined || isCount(v);

/** The TOC's regular files by normalised path, checked; a hostile TOC is refused whole. */
function tocFiles(doc: unknown, tocOffset: number): Map<string, TocFile> {
  const entries = (doc as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) throw bad('stargz.index.json has no "entries" list');
  const files = new Map<string, TocFile>();
  const chunks: TocChunk[] = [];
  let current: { name: string; file: TocFile } | undefined;
  let lastOffset = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as Record<string, unknown> | null;
    const at = `entry ${i}`;
    if (!e || typeof e !== 'object' || typeof e.name !== 'string' || typeof e.type !== 'string') throw bad(`${at} has no name or type`);
    if (e.type !== 'reg' && e.type !== 'chunk') continue;
    const size = e.type === 'reg' ? e.size ?? 0 : current?.file.size;
    if (!isCount(size) || !optCount(e.offset) || !optCount(e.chunkOffset) || !optCount(e.chunkSize) || !optCount(e.innerOffset)) throw bad(`${at} (${JSON.stringify(e.name)}): size, offset, chunkOffset, chunkSize and innerOffset must be byte counts`);
    for (const k of ['digest', 'chunkDigest'] as const) {
      if (e[k] !== undefined && (typeof e[k] !== 'string' || !DIGEST.test(e[k]))) throw bad(`${at} (${JSON.stringify(e.name)}): ${k} ${JSON.stringify(e[k])} is not sha256:<64 hex digits>`);
    }
    const name = normalisePath(e.name).path;
    if (e.type === 'reg') {
      const file: TocFile = { size, chunks: [], ...(e.digest ? { digest: e.digest as string } : {}) };
      if (files.has(name)) files.get(name)!.problem = 'the TOC lists it more than once';
      else files.set(name, file);
      current = { name, file };
      if (size === 0) continue;
    } else if (!current || current.name !== name) throw bad(`${at}: a chunk of ${JSON.stringify(e.name)} that does not follow its file`);
    const offset = (e.offset as number | undefined) ?? 0;
    if (offset >= tocOffset) throw bad(`${at} (${JSON.stringify(e.name)}) starts at byte ${offset}, at or past the TOC at byte ${tocOffset}`);
    if (offset < lastOffset) throw bad(`${at} (${JSON.stringify(e.name)}) starts at byte ${offset}, before the entry ahead of it (byte ${lastOffset}): offsets out of order`);
    lastOffset = offset;
    const chunkOffset = (e.chunkOffset as number | undefined) ?? 0;
    const chunk: TocChunk = {
      offset, end: tocOffset, inner: (e.innerOffset as number | undefined) ?? 0, chunkOffset,
      chunkSize: (e.chunkSize as number | undefined) || size - chunkOffset,
      ...(e.chunkDigest ? { chunkDigest: e.chunkDigest as string } : {}),
    };
    current.file.chunks.push(chunk);
    chunks.push(chunk);
  }
  // A chunk's member(s) end where the next larger offset starts (offsets are in order).
  let next = tocOffset;
  for (let i = chunks.length - 1; i >= 0; i--) {
    const c = chunks[i]!;
    c.end = next;
    if (i > 0 && chunks[i - 1]!.offset < c.offset) next = c.offset;
  }
  for (const f of files.values()) if (!f.problem) f.problem = tiling(f);
  return files;
}

/** Why the chunks of `f` do not tile [0, size) in order, or undefined. */
function tiling(f: TocFile): string | undefined {
  let at = 0;
  for (const c of f.chunks) {
    if (c.chunkOffset !== at || c.chunkSize <= 0) return `its chunks do not follow one another (a chunk at ${c.chunkOffset} of ${c.chunkSize} bytes after byte ${at})`;
    at += c.chunkSize;
  }
  return at === f.size ? undefined : `its chunks cover ${at} of its ${f.size} bytes`;
}

export interface TocRead {
  /** The file's bytes [from, to). */
  bytes: Uint8Array;
  storedBytes: number;
  /** Every chunk read was checked against its sha256 (chunkDigest, or the file's digest). */
  verified: boolean;
}

/**
 * The file's bytes [from, to), decoded from the members of the chunks that hold them. `verify`
 * false (the first bytes wanted only to sniff the file's type): decoding stops at `to`, unchecked.
 */
export async function readTocFile(source: ByteSource, f: TocFile, path: string, from: number, to: number, verify: boolean, signal?: AbortSignal): Promise<TocRead> {
  const out = new Uint8Array(Math.max(0, to - from));
  let storedBytes = 0;
  let verified = true;
  for (const c of f.chunks) {
    if (c.chunkOffset + c.chunkSize <= from || c.chunkOffset >= to) continue;
    const want = verify ? c.chunkSize : Math.min(c.chunkSize, to - c.chunkOffset);
    const got = await decodeChunk(source, c, want, path, signal);
    storedBytes += got.stored;
    const digest = c.chunkDigest ?? (f.chunks.length === 1 ? f.digest : undefined);
    if (verify && digest) {
      const h = await createSha256();
      h.update(got.bytes);
      if (h.digest() !== digest) {
        throw new ContentError('content-corrupt', `/${path}: bytes [${c.chunkOffset}, ${c.chunkOffset + c.chunkSize}) read from the gzip member at byte ${c.offset} of the layer do not match their sha256 in the estargz TOC (the layer is damaged, or changed since)`);
      }
    } else verified = false;
    const s = Math.max(from, c.chunkOffset);
    const e = Math.min(to, c.chunkOffset + got.bytes.length);
    out.set(got.bytes.subarray(s - c.chunkOffset, e - c.chunkOffset), s - from);
  }
  return { bytes: out, storedBytes, verified };
}

/** `want` bytes of the chunk `c`: its member(s) decoded from their start, `inner` bytes skipped. */
async function decodeChunk(source: ByteSource, c: TocChunk, want: number, path: string, signal?: AbortSignal): Promise<{ bytes: Uint8Array; stored: number }> {
  let stored = 0;
  const input = source.stream(c.offset, c.end, signal).pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, ctl) { stored += chunk.length; ctl.enqueue(chunk); },
  }));
  const reader = decompressStream('gzip', input, { ...(signal ? { signal } : {}), onWarning: () => undefined }).getReader();
  const bytes = new Uint8Array(want);
  let skip = c.inner;
  let have = 0;
  const where = `/${path}: the estargz chunk [${c.chunkOffset}, ${c.chunkOffset + c.chunkSize}) in the gzip member at byte ${c.offset} of the layer`;
  try {
    while (have < want) {
      signal?.throwIfAborted();
      const { value, done } = await reader.read();
      if (done) break;
      let v = value;
      if (skip > 0) { const n = Math.min(skip, v.length); skip -= n; v = v.subarray(n); }
      const n = Math.min(v.length, want - have);
      bytes.set(v.subarray(0, n), have);
      have += n;
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    if (signal?.aborted) throw signal.reason ?? e;
    throw new ContentError('content-corrupt', `${where} does not decode: ${(e as Error).message}`, { cause: e });
  }
  await reader.cancel().catch(() => undefined);
  if (have < want) throw new ContentError('content-corrupt', `${where} ends after ${have} of its ${want} bytes (the TOC and the layer disagree)`);
  return { bytes, stored };
}

/** What read-file.ts gets: a window read through the TOC, or why the TOC was not used. */
export type TocAttempt = { window: BodyWindow } | { note: string };

/**
 * The file's bytes [from, to) through the TOC of an estargz layer (undefined: not one). A TOC or
 * TOC entry that cannot be used gives a note, and the caller reads the fallback way.
 */
export async function readViaToc(layer: LayerBytes, path: string, size: number, stored: number, from: number, to: number, verify: boolean, signal?: AbortSignal): Promise<TocAttempt | undefined> {
  if (!layer.estargz || layer.compression !== 'gzip') return undefined;
  const t = await estargzToc(layer.source, signal);
  if ('problem' in t) return { note: `${t.problem.message}; read from the nearest restart point instead (a gzip member boundary or a deflate checkpoint)` };
  const f = t.toc.files.get(path);
  const fallback = (why: string) => ({ note: `estargz TOC: /${path} ${why}; read from the nearest restart point instead (a gzip member boundary or a deflate checkpoint)` });
  if (!f) return fallback('is not in it');
  if (f.problem) return fallback(f.problem);
  if (f.size !== size || stored !== size) return fallback(`is ${f.size} bytes there, ${size} in the tar`);
  const got = await readTocFile(layer.source, f, path, from, to, verify, signal);
  const entry: TarEntry = {
    // No tar header is read: the TOC names the file (and its sha256 vouches for the bytes).
    path, rawPath: path, type: 'file', typeflag: 0x30, mode: 0, uid: 0, gid: 0, uname: '', gname: '', mtime: 0,
    size, stored: size, linkName: '', devMajor: 0, devMinor: 0, sparse: false, headerOffset: -1, dataOffset: -1,
  };
  return {
    window: {
      entry, bytes: got.bytes, storedFrom: from, how: 'estargz-toc', checkedToEnd: got.verified,
      storedBytes: got.storedBytes + (t.loaded ? t.toc.storedBytes : 0), skippedBytes: 0,
    },
  };
}
