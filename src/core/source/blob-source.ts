// A ByteSource over a Blob (a dropped File, a slice of one, a Node Blob): the one reader every
// seek-and-read pass goes through (the outer tar listing, the quick header-only pass, configs).
//
// What a read costs in Chromium decides how: each `slice().arrayBuffer()` is a round trip to the
// browser process, about 2 ms measured on a loaded 2-core machine (2-6 ms in a worker), while a
// `stream()` delivers ~800 MB/s once open. So reads by offset are served from one forward stream:
// a gap of up to SEEK_GAP is cheaper to stream through than to seek over, and small entries back
// to back (tar headers, package databases) cost one chunk between them, not a round trip each. A
// read behind the stream, or a jump past SEEK_GAP (a large file body skipped), opens a new stream
// at the target. Reads are taken one at a time: the stream is one cursor. A stream with
// `reuseChunks` (a layer's index and digest jobs) is read by a BYOB reader into reused buffers.

import { abortable, reusingStream } from './streams';
import type { ByteSource, PortableSource, StreamOptions } from './types';

/** Gaps up to this are streamed through; larger jumps start a new stream at the target. */
export const SEEK_GAP = 4 << 20;

export class BlobByteSource implements ByteSource {
  readonly size: number;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** Unconsumed bytes of the current chunk, which starts at offset `at`. */
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly blob: Blob) {
    this.size = blob.size;
  }

  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    const run = () => { signal?.throwIfAborted(); return this.readNow(offset, length); };
    const p = this.queue.then(run, run);
    // Settled without the value: the last read's bytes (a view of a whole stream chunk) must not
    // stay alive in the queue as long as the source does.
    this.queue = p.then(() => undefined, () => undefined);
    return p;
  }

  stream(from = 0, to = this.size, signal?: AbortSignal, opts?: StreamOptions): ReadableStream<Uint8Array> {
    const stream = this.blob.slice(from, to).stream();
    return opts?.reuseChunks ? reusingStream(stream, signal) : abortable(stream, signal);
  }

  slice(from: number, to: number): BlobByteSource {
    return new BlobByteSource(this.blob.slice(from, to));
  }

  portable(): PortableSource {
    return { kind: 'blob', blob: this.blob };
  }

  close(): void {
    void this.reader?.cancel().catch(() => undefined);
    this.reader = undefined;
    this.chunk = new Uint8Array(0);
  }

  private open(offset: number): void {
    this.close();
    this.reader = this.blob.slice(offset).stream().getReader() as ReadableStreamDefaultReader<Uint8Array>;
    this.at = offset;
  }

  private async next(): Promise<boolean> {
    const r = await this.reader!.read();
    if (r.done) return false;
    this.at += this.chunk.length;
    this.chunk = r.value;
    return true;
  }

  private async readNow(offset: number, length: number): Promise<Uint8Array> {
    length = Math.max(0, Math.min(length, this.size - offset));
    if (length === 0) return new Uint8Array(0);
    if (!this.reader || offset < this.at || offset - (this.at + this.chunk.length) > SEEK_GAP) this.open(offset);
    // Skip whole chunks before the offset.
    while (offset >= this.at + this.chunk.length) if (!(await this.next())) return new Uint8Array(0);
    const rel = offset - this.at;
    if (rel + length <= this.chunk.length) return this.chunk.subarray(rel, rel + length);
    const out = new Uint8Array(length);
    let n = this.chunk.length - rel;
    out.set(this.chunk.subarray(rel), 0);
    while (n < length) {
      if (!(await this.next())) return out.subarray(0, n);
      const take = Math.min(this.chunk.length, length - n);
      out.set(this.chunk.subarray(0, take), n);
      n += take;
    }
    return out;
  }
}
