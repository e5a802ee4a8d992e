// Random-access walk over an uncompressed tar held in a Blob (or anything readable by offset):
// read header blocks and seek over bodies, so the entries of a multi-gigabyte `docker save`
// archive are listed after reading a few kilobytes per entry instead of every byte.

import { HeaderDecoder, Step } from './header-decoder';
import { isZeroBlock } from './fields';
import { BLOCK, padding, type TarEntry, type TarVisitor, type TarWarning } from './types';

export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

/** Headers of small entries sit close together: one read of this size serves many of them. */
const WINDOW = 64 << 10;
/** Bodies go to sinks in ranges of at most this size. */
const BODY_RANGE = 1 << 20;

/** Sequential runs of small entries grow the window up to this: each read costs 2-6 ms in a Chromium worker (measured). */
const MAX_WINDOW = 1 << 20;

/**
 * A miss less than this past the last window counts as sequential (small entries back to back).
 * A read costs about as much as reading this many more bytes, so a larger gap is cheaper to seek.
 */
const NEAR = 32 << 10;
/** The window after a real seek: the header and perhaps a few small entries after it. */
const SEEK_WINDOW = 16 << 10;

/**
 * Serves reads from the last window fetched; refetches only when a read falls outside it. The
 * window adapts: a miss just past the last window (small files back to back) doubles it, a real
 * seek (a large body skipped) shrinks it back, so neither case reads much it does not need.
 */
class WindowReader {
  private start = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private window = WINDOW;

  constructor(private readonly read: ReadAt, private readonly size: number, private readonly signal?: AbortSignal) {}

  /** Exactly `length` bytes at `offset`, or null when the source ends first. */
  async get(offset: number, length: number, fixedWindow?: number): Promise<Uint8Array | null> {
    if (offset + length > this.size) return null;
    const rel = offset - this.start;
    if (rel >= 0 && rel + length <= this.bytes.length) return this.bytes.subarray(rel, rel + length);
    this.signal?.throwIfAborted();
    if (fixedWindow === undefined) {
      const near = rel >= 0 && rel - this.bytes.length < NEAR;
      this.window = near ? Math.min(MAX_WINDOW, this.window * 2) : SEEK_WINDOW;
    }
    const window = fixedWindow ?? this.window;
    const want = Math.min(Math.max(length, window), this.size - offset);
    const bytes = await this.read(offset, want);
    if (bytes.length < length) return null;
    if (want <= window) {
      this.start = offset;
      this.bytes = bytes;
    }
    return bytes.subarray(0, length);
  }
}

/**
 * List the entries of an uncompressed tar of `size` bytes. Bodies are skipped by seeking unless
 * the visitor returns a sink, which then receives the body in reads of at most 1 MiB.
 * `end` is where the archive stops: just past its end-of-archive marker, at the header that could
 * not be read, or `size` when the source ends without a marker.
 */
export async function readTarHeadersAt(
  read: ReadAt, size: number, visitor: TarVisitor, signal?: AbortSignal,
): Promise<{ entries: number; end: number }> {
  const warn = (w: TarWarning) => visitor.onWarning?.(w);
  const decoder = new HeaderDecoder(warn);
  const src = new WindowReader(read, size, signal);
  let entries = 0;
  let pos = 0;
  for (;;) {
    signal?.throwIfAborted();
    const block = await src.get(pos, BLOCK);
    if (!block) return { entries, end: truncatedAt(decoder, pos, size, warn) };
    const step = decoder.block(block, pos);
    pos += BLOCK;
    if (step === Step.Block) continue;
    if (step === Step.Stop) return { entries, end: pos - BLOCK };
    if (step === Step.End) {
      const next = await src.get(pos, BLOCK);
      return { entries, end: next && isZeroBlock(next) ? pos + BLOCK : pos };
    }
    if (step === Step.Meta) {
      const body = await src.get(pos, decoder.metaSize);
      if (!body) return { entries, end: truncatedAt(decoder, pos - BLOCK, size, warn) };
      // The body may be a view of the window: meta() decodes it before the next read replaces it.
      decoder.meta(body);
      pos += decoder.metaSize + padding(decoder.metaSize);
      continue;
    }
    const entry = decoder.entry!;
    decoder.entry = null;
    entries++;
    const ok = await deliverBody(src, entry, visitor, size, warn);
    if (!ok) return { entries, end: size };
    pos = entry.dataOffset + entry.stored + padding(entry.stored);
  }
}

/** Hand the body to the visitor's sink, if it wants one. False when the source ends first. */
async function deliverBody(
  src: WindowReader, entry: TarEntry, visitor: TarVisitor, size: number, warn: (w: TarWarning) => void,
): Promise<boolean> {
  const sink = visitor.onEntry(entry);
  const bodyEnd = entry.dataOffset + entry.stored;
  if (!sink) {
    if (bodyEnd + padding(entry.stored) <= size) return true;
  } else {
    for (let at = entry.dataOffset; at < bodyEnd; ) {
      const len = Math.min(BODY_RANGE, bodyEnd - at);
      const chunk = await src.get(at, len, 0);
      if (!chunk) break;
      sink.write(chunk);
      at += len;
    }
    if (bodyEnd + padding(entry.stored) <= size) {
      sink.end();
      return true;
    }
  }
  const message = truncationMessage(size, JSON.stringify(entry.rawPath), entry.headerOffset);
  sink?.abort?.(message);
  warn({ code: 'tar-truncated', offset: entry.headerOffset, entry: entry.rawPath, message });
  return false;
}

function truncatedAt(decoder: HeaderDecoder, blockOffset: number, size: number, warn: (w: TarWarning) => void): number {
  const pending = decoder.pendingOffset;
  // A source that ends exactly between entries simply lacks the end marker: not truncated.
  if (pending < 0 && blockOffset >= size) return size;
  const offset = pending >= 0 ? pending : blockOffset;
  const entry = decoder.pendingName;
  const what = entry === undefined ? 'a header' : JSON.stringify(entry);
  warn({ code: 'tar-truncated', offset, entry, message: truncationMessage(size, what, offset) });
  return size;
}

function truncationMessage(size: number, what: string, offset: number): string {
  return `archive ends at byte ${size} inside ${what}, which starts at byte ${offset}`;
}
