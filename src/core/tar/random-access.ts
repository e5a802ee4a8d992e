// Random-access walk over an uncompressed tar readable by offset (a ByteSource: a Blob, a file):
// read header blocks and seek over bodies, so the entries of a multi-gigabyte `docker save`
// archive are listed after reading a few kilobytes per entry instead of every byte. How reads are
// batched is the source's business (core/source/blob-source.ts has the measured browser costs).

import { HeaderDecoder, Step, type DecoderOptions } from './header-decoder';
import { isZeroBlock } from './fields';
import { BLOCK, padding, type TarEntry, type TarVisitor, type TarWarning } from './types';

export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

/** Bodies go to sinks in ranges of at most this size. */
const BODY_RANGE = 1 << 20;

/**
 * Exact reads over a ReadAt: `length` bytes at `offset`, or null when the source ends first.
 * Each header is one small read: the source batches them (BlobByteSource streams forward through
 * small gaps, so a run of small entries costs one chunk, not a read each).
 */
class ExactReader {
  constructor(
    private readonly read: ReadAt, private readonly size: number, private readonly signal?: AbortSignal,
    private readonly view: ReadAt = read,
  ) {}

  /** Bytes of their own: a body handed to a sink, which may keep them. */
  get(offset: number, length: number): Promise<Uint8Array | null> {
    return this.exact(this.read, offset, length);
  }

  /** Bytes decoded at once (a header block, a PAX or long-name body): maybe the source's buffer. */
  peek(offset: number, length: number): Promise<Uint8Array | null> {
    return this.exact(this.view, offset, length);
  }

  private async exact(read: ReadAt, offset: number, length: number): Promise<Uint8Array | null> {
    if (offset + length > this.size) return null;
    this.signal?.throwIfAborted();
    const bytes = await read(offset, length);
    return bytes.length < length ? null : bytes.subarray(0, length);
  }
}

export interface RandomAccessOptions extends DecoderOptions {
  /**
   * Reads whose bytes are valid only until the next read (ByteSource.view), for the header blocks
   * and metadata bodies the decoder takes in at once; `read` still serves the bodies given to sinks.
   */
  view?: ReadAt;
}

/**
 * List the entries of an uncompressed tar of `size` bytes. Bodies are skipped by seeking unless
 * the visitor returns a sink, which then receives the body in reads of at most 1 MiB.
 * `end` is where the archive stops: just past its end-of-archive marker, at the header that could
 * not be read, or `size` when the source ends without a marker.
 */
export async function readTarHeadersAt(
  read: ReadAt, size: number, visitor: TarVisitor, signal?: AbortSignal, opts: RandomAccessOptions = {},
): Promise<{ entries: number; end: number }> {
  const warn = (w: TarWarning) => visitor.onWarning?.(w);
  const decoder = new HeaderDecoder(warn, opts);
  const src = new ExactReader(read, size, signal, opts.view);
  let entries = 0;
  let pos = 0;
  for (;;) {
    signal?.throwIfAborted();
    const block = await src.peek(pos, BLOCK);
    if (!block) return { entries, end: truncatedAt(decoder, pos, size, warn) };
    const step = decoder.block(block, pos);
    pos += BLOCK;
    if (step === Step.Block) continue;
    if (step === Step.Stop) return { entries, end: pos - BLOCK };
    if (step === Step.End) {
      const next = await src.peek(pos, BLOCK);
      return { entries, end: next && isZeroBlock(next) ? pos + BLOCK : pos };
    }
    if (step === Step.Meta) {
      const body = await src.peek(pos, decoder.metaSize);
      if (!body) return { entries, end: truncatedAt(decoder, pos - BLOCK, size, warn) };
      // The body may be a view of the source's buffer: meta() decodes it before the next read.
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
  src: ExactReader, entry: TarEntry, visitor: TarVisitor, size: number, warn: (w: TarWarning) => void,
): Promise<boolean> {
  const sink = visitor.onEntry(entry);
  const bodyEnd = entry.dataOffset + entry.stored;
  if (!sink) {
    if (bodyEnd + padding(entry.stored) <= size) return true;
  } else {
    for (let at = entry.dataOffset; at < bodyEnd; ) {
      const len = Math.min(BODY_RANGE, bodyEnd - at);
      const chunk = await src.get(at, len);
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
