// Index one layer blob in a single streaming pass: sniff its compression, hash the stored blob
// (manifest digest) and the uncompressed tar (config diff_id), walk the tar headers into the
// columnar index, hash every regular file body (xxh64) and keep the bytes of the few small files
// package analyses need. Memory stays bounded: no layer is ever held whole.

import { EntryKind, type Compression, type Digest, type Warning } from '../types';
import { countFiles, LayerIndexBuilder, type LayerIndex } from '../index/layer-index';
import { TarWalker, type BodySink, type TarEntry } from '../tar';
import { createContentHasher, createSha256, decompressStream, sniffCompression, CodecError, type DecompressOptions, type Sha256 } from '../codec';
import { shouldCapture } from '../packages';
import { utf8Length } from '../utf8';
import { RestartRecorder, type RestartPoints } from '../contents/restart-points';
import { FOOTER_SIZE, footerTocOffset } from '../contents/estargz-toc';

export interface Capture { path: string; bytes: Uint8Array }

export interface LayerResult {
  entries: LayerIndex;
  files: number;
  compression: Compression;
  compressedSize: number;
  uncompressedSize: number;
  blobDigest: Digest;
  diffId: Digest;
  warnings: Warning[];
  captures: Capture[];
  /** False when the stream ended early or was corrupt: the index holds what was read before. */
  complete: boolean;
  /**
   * False when digests were not computed (blobDigest and diffId are then ''): a quick header-only
   * index, which the full pass replaces, or a pass run with `verify: false`.
   */
  hashed: boolean;
  /** Where the compressed layer can be decoded from mid-way (core/contents); absent: only its start. */
  restarts?: RestartPoints;
  /** A gzip layer that ends with estargz's footer, or holds its `stargz.index.json` at its root:
   *  contents reads use its TOC (contents/estargz-toc.ts). */
  estargz?: boolean;
}

export interface IndexLayerOptions {
  /** Layer position, for warnings. */
  layer?: number;
  mediaType?: string;
  signal?: AbortSignal;
  /** Called with stored (compressed) bytes read so far; throttle on the receiving side. */
  onProgress?: (storedBytes: number) => void;
  /**
   * Compute sha256 of the stored blob and of the uncompressed tar (default true). Without it the
   * layer is indexed and content-hashed but its digests are not checked (verification
   * 'unverifiable'): sha256 is the costliest stage of the pass.
   */
  verify?: boolean;
  /**
   * With verify: leave the stored blob's sha256 to a separate digest job (see digestBlob), so a
   * second worker hashes it while this one walks the tar. Only the diff_id is computed here; for an
   * uncompressed layer (where the two digests are one) no sha256 at all.
   */
  blobDigestElsewhere?: boolean;
  /**
   * The input's chunks are valid only until its next read (a stream opened with
   * StreamOptions.reuseChunks, as the layer workers open theirs). indexLayer never keeps a chunk
   * past its next read but for one case, which this covers: the gzip decoders queue their input,
   * so each chunk is copied before it goes to them. zstd copies its input into its own heap.
   */
  reusedInput?: boolean;
  /** The gzip decoder (tests run each one); default: the platform's where it has one. */
  gzip?: DecompressOptions['gzip'];
  /** Decompression-bomb guard; defaults to BOMB_MIN_BYTES at BOMB_RATIO (tests lower it). */
  bomb?: { minBytes: number; ratio: number };
}

/**
 * A decompression bomb is a tiny blob that inflates without end. Deflate cannot exceed ~1032:1;
 * real layers rarely pass 50:1 (zeros in unsparsed files). Past 2 GiB at over 500:1 we stop.
 */
const BOMB_MIN_BYTES = 2 * 1024 ** 3;
const BOMB_RATIO = 500;

/** estargz puts its table of contents and landmarks in the tar: metadata, not user files. */
const ESTARGZ_METADATA = new Set(['stargz.index.json', '.prefetch.landmark', '.no.prefetch.landmark']);

/** Stands in for sha256 when digests are not checked: its digest is '' and never matches. */
const NO_SHA: Sha256 = { update() {}, digest: () => '' as Digest };

/**
 * Linux's PATH_MAX (limits.h) counts 4,096 bytes with the terminating NUL: no runtime can create a
 * longer path under its rootfs, and listing one means listing every directory above it (a path
 * 222,371 levels deep, node-tar's excessively-deep.tar, would be 49 GB of `--ls`). node-tar stops
 * at 1,024 levels for the same reason. Such an entry is left out of the index, with a warning.
 */
export const MAX_PATH_BYTES = 4095;

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

export async function indexLayer(input: ReadableStream<Uint8Array>, opts: IndexLayerOptions = {}): Promise<LayerResult> {
  const warnings: Warning[] = [];
  const layer = opts.layer;
  const warn = (w: Omit<Warning, 'layer'>) => warnings.push(layer === undefined ? w : { ...w, layer });

  const verify = opts.verify ?? true;
  const split = verify && opts.blobDigestElsewhere === true;
  const rest = input.getReader();
  const first = await peek(rest);
  const compression = sniffCompression(first);
  const [blobHash, tarHash, fileHash] = await Promise.all([
    verify && !split ? createSha256() : NO_SHA,
    verify && !(split && compression === 'none') ? createSha256() : NO_SHA,
    createContentHasher(),
  ]);
  checkMediaType(opts.mediaType, compression, warn);

  let stored = 0;
  // The last bytes of a gzip blob: an estargz footer there names the TOC (contents/estargz-toc.ts).
  const tail = compression === 'gzip' ? new TailBytes(FOOTER_SIZE) : undefined;
  const copyInput = opts.reusedInput === true && compression === 'gzip';
  const counted = prepend(first, rest, (chunk) => {
    stored += chunk.length;
    if (compression !== 'none') blobHash.update(chunk);
    tail?.push(chunk);
    opts.onProgress?.(stored);
    return copyInput ? chunk.slice() : chunk;
  });
  // Trailing garbage after the last gzip member (padding after a blob) leaves the layer whole.
  const onWarning = (e: CodecError) => warn({ code: e.code, message: e.message, ...(e.offset !== undefined ? { offset: e.offset } : {}) });
  const restarts = new RestartRecorder(compression === 'zstd' ? 'frame' : 'member');
  // reuseChunks: every chunk is hashed and walked (file sinks hash or copy) before the next read.
  const plain = compression === 'none' ? counted : decompressStream(compression, counted, {
    signal: opts.signal, onWarning, onBoundary: restarts.add, reuseChunks: true, ...(opts.gzip ? { gzip: opts.gzip } : {}),
  });

  const builder = new LayerIndexBuilder();
  const captures: Capture[] = [];
  let tocEntry = false;
  const walker = new TarWalker({
    onEntry: (e) => {
      if (compression === 'gzip' && e.path === 'stargz.index.json') tocEntry = true;
      return addEntry(e, builder, captures, fileHash, compression === 'gzip', warn);
    },
    onWarning: (w) => warn({ code: w.code, message: w.message, offset: w.offset, ...(w.entry ? { entry: w.entry } : {}) }),
  });

  let uncompressed = 0;
  let complete = true;
  const bomb = opts.bomb ?? { minBytes: BOMB_MIN_BYTES, ratio: BOMB_RATIO };
  const reader = plain.getReader();
  try {
    for (;;) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new DOMException('aborted', 'AbortError');
      const { value, done } = await reader.read();
      if (done) break;
      uncompressed += value.length;
      tarHash.update(value);
      walker.push(value);
      if (uncompressed > bomb.minBytes && uncompressed > bomb.ratio * stored) {
        warn({ code: 'layer-bomb', message: `layer inflates to over ${bomb.ratio}x its stored size (${uncompressed} bytes from ${stored}): stopped reading it as a decompression bomb`, offset: uncompressed });
        complete = false;
        await reader.cancel();
        break;
      }
    }
    walker.end();
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    complete = false;
    walker.end();
    await reader.cancel().catch(() => undefined);
    const offset = e instanceof CodecError && e.offset !== undefined ? e.offset : stored;
    const code = e instanceof CodecError ? e.code : 'layer-read-failed';
    warn({ code, message: `${(e as Error).message} (after ${uncompressed} uncompressed bytes)`, offset });
  }
  // A tar cut short or unreadable partway was not read to the end, whatever its codec said.
  if (warnings.some((w) => w.code === 'tar-truncated' || w.code === 'tar-bad-checksum')) complete = false;
  if (walker.entries === 0 && uncompressed > 0 && complete) {
    warn({ code: 'layer-not-tar', message: 'layer holds no tar entries', offset: 0 });
  }
  const entries = builder.finish();
  const tarDigest = tarHash.digest();
  return {
    entries,
    files: countFiles(entries),
    compression,
    compressedSize: stored,
    uncompressedSize: uncompressed,
    // With the blob digest computed elsewhere both are '' here for uncompressed layers, and the
    // blob digest is '' for compressed ones: the caller fills them in from the digest job.
    blobDigest: compression === 'none' ? tarDigest : blobHash.digest(),
    diffId: tarDigest,
    warnings,
    captures,
    complete,
    hashed: verify && !split,
    ...(restarts.points.length ? { restarts: { points: restarts.points } } : {}),
    // A TOC entry in sight with no footer is estargz too: its reads then say what is wrong with it.
    ...(tail && (tocEntry || footerTocOffset(tail.bytes(), stored) !== undefined) ? { estargz: true } : {}),
  };
}

export type ContentHasher = Awaited<ReturnType<typeof createContentHasher>>;

/**
 * Records one tar entry in the index. With a hasher, every file body is hashed (and package
 * databases captured); without one (the quick header-only pass) only captures read bodies.
 */
export function addEntry(
  e: TarEntry, builder: LayerIndexBuilder, captures: Capture[], hasher: ContentHasher | undefined, gzip: boolean,
  warn: (w: Omit<Warning, 'layer'>) => void,
): BodySink | void {
  if (e.path.length > MAX_PATH_BYTES / 3 && pathTooLong(e, warn)) return;
  const slash = e.path.lastIndexOf('/');
  const base = slash < 0 ? e.path : e.path.slice(slash + 1);
  const dir = slash < 0 ? '' : e.path.slice(0, slash);
  if (e.path === '') return; // the root directory itself ('./')
  if (base.startsWith(WHITEOUT_PREFIX)) {
    // OCI image-spec, "Whiteouts": `.wh..wh..opq` makes `dir` opaque; other `.wh..wh.` names are
    // AUFS bookkeeping to be ignored; `.wh.<name>` removes <name> from lower layers.
    if (base === OPAQUE_MARKER) builder.add(meta(e, dir, EntryKind.opaque));
    else if (!base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) {
      builder.add(meta(e, dir ? `${dir}/${base.slice(4)}` : base.slice(4), EntryKind.whiteout));
    }
    return;
  }
  if (gzip && slash < 0 && ESTARGZ_METADATA.has(base)) return;
  const kind = KIND_OF[e.type];
  const i = builder.add({
    path: e.path, kind, mode: e.mode, uid: e.uid, gid: e.gid,
    size: kind === EntryKind.file ? e.size : 0, stored: e.stored, mtime: e.mtime,
    ...(e.type === 'symlink' || e.type === 'hardlink' ? { link: e.linkName } : {}),
    offset: e.headerOffset,
  });
  if (kind !== EntryKind.file || e.stored === 0) return;
  const capture = shouldCapture(e.path, e.size) ? new Uint8Array(e.stored) : undefined;
  if (!hasher && !capture) return;
  let at = 0;
  hasher?.init();
  return {
    write(chunk) {
      hasher?.update(chunk);
      if (capture) capture.set(chunk, at);
      at += chunk.length;
    },
    end() {
      if (hasher) {
        const { hi, lo } = hasher.digest();
        builder.setHash(i, hi, lo);
      }
      if (capture && at === capture.length) captures.push({ path: e.path, bytes: capture });
    },
  };
}

/** True (with a warning) when the entry's path is longer than PATH_MAX allows. */
function pathTooLong(e: TarEntry, warn: (w: Omit<Warning, 'layer'>) => void): boolean {
  const bytes = e.path.length > MAX_PATH_BYTES ? e.path.length : utf8Length(e.path);
  if (bytes <= MAX_PATH_BYTES) return false;
  let levels = 1;
  for (let i = e.path.indexOf('/'); i >= 0; i = e.path.indexOf('/', i + 1)) levels++;
  warn({
    code: 'tar-path-too-long', offset: e.headerOffset, entry: e.path.length > 200 ? `${e.path.slice(0, 200)}...` : e.path,
    message: `entry at byte ${e.headerOffset} has a path of ${bytes} bytes (${levels} levels): longer than Linux's PATH_MAX (4,096 bytes with its NUL), so no runtime can create it; left out`,
  });
  return true;
}

const KIND_OF: Record<TarEntry['type'], EntryKind> = {
  file: EntryKind.file, dir: EntryKind.dir, symlink: EntryKind.symlink, hardlink: EntryKind.hardlink,
  char: EntryKind.charDevice, block: EntryKind.blockDevice, fifo: EntryKind.fifo, other: EntryKind.file,
};

function meta(e: TarEntry, path: string, kind: EntryKind) {
  return { path, kind, mode: e.mode, uid: e.uid, gid: e.gid, size: 0, stored: 0, mtime: e.mtime, offset: e.headerOffset };
}


/** Media type and magic bytes must agree (a gzip blob labelled as a plain tar is a warning). */
function checkMediaType(mediaType: string | undefined, found: Compression, warn: (w: Omit<Warning, 'layer'>) => void): void {
  if (!mediaType) return;
  const declared: Compression | undefined = /zstd/.test(mediaType) ? 'zstd'
    : /gzip/.test(mediaType) ? 'gzip'
    : /(\.tar|tar)$/.test(mediaType) ? 'none' : undefined;
  if (declared !== undefined && declared !== found) {
    warn({ code: 'media-type-mismatch', message: `media type ${mediaType} says ${declared}, but the bytes are ${found === 'none' ? 'uncompressed' : found}; read as ${found}`, offset: 0 });
  }
}

/** The last `n` bytes of a stream pushed chunk by chunk. */
class TailBytes {
  private readonly buf: Uint8Array;
  private len = 0;
  constructor(private readonly n: number) { this.buf = new Uint8Array(n); }

  push(chunk: Uint8Array): void {
    const n = this.n;
    if (chunk.length >= n) { this.buf.set(chunk.subarray(chunk.length - n)); this.len = n; return; }
    const keep = Math.min(this.len, n - chunk.length);
    this.buf.copyWithin(0, this.len - keep, this.len);
    this.buf.set(chunk, keep);
    this.len = keep + chunk.length;
  }

  bytes(): Uint8Array { return this.buf.subarray(0, this.len); }
}

/**
 * Reads enough of a stream to sniff its magic bytes; the rest stays in the reader. A chunk is
 * handed on as it is only when it alone is enough: one the next read may refill is copied.
 */
async function peek(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  while (n < 16) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(parts.length === 0 && value.length >= 16 ? value : value.slice());
    n += value.length;
  }
  return concat(parts, n);
}

/**
 * `first`, then the rest of the reader, each chunk passed through `see` as it is read. Nothing is
 * read ahead (highWaterMark 0): the next chunk is read only when the consumer asks for it, so a
 * consumer done with each chunk before its next read may be given reused buffers.
 */
function prepend(first: Uint8Array, rest: ReadableStreamDefaultReader<Uint8Array>, see: (chunk: Uint8Array) => Uint8Array): ReadableStream<Uint8Array> {
  let sentFirst = first.length === 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) { sentFirst = true; controller.enqueue(see(first)); return; }
      const { value, done } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(see(value));
    },
    cancel(reason) { return rest.cancel(reason); },
  }, { highWaterMark: 0 });
}

export function concat(parts: Uint8Array[], total = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** sha256 of a stored blob, streamed: the digest job that runs beside a layer's index job. */
export async function digestBlob(input: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<Digest> {
  const h = await createSha256();
  const reader = input.getReader();
  for (;;) {
    if (signal?.aborted) { await reader.cancel(); throw signal.reason ?? new DOMException('aborted', 'AbortError'); }
    const { value, done } = await reader.read();
    if (done) return h.digest();
    h.update(value);
  }
}
