// A ByteSource over a Blob (a dropped File, a slice of one, a Node Blob): the one reader every
// seek-and-read pass goes through (the outer tar listing, the quick header-only pass, configs).
//
// What a read costs in Chromium decides how: each `slice().arrayBuffer()` is a round trip to the
// browser process, about 2 ms measured on a loaded 2-core machine (2-6 ms in a worker), while a
// `stream()` delivers ~800 MB/s once open. So reads by offset are served from one forward stream:
// a gap of up to SEEK_GAP is cheaper to stream through than to seek over, and small entries back
// to back (tar headers, package databases) cost one chunk between them, not a round trip each. A
// read behind the stream, or a jump past SEEK_GAP (a large file body skipped), opens a new stream
// at the target. Reads are taken one at a time: the stream is one cursor, read by a BYOB reader
// into one reused 1 MiB buffer (fresh chunks cost a page fault per 4 KiB: streams.ts), so each read
// returns a copy of its bytes (a `view` returns the buffer's own, for a caller that keeps none). A
// stream with `reuseChunks` (a layer's index and digest jobs) is read BYOB into two reused
// buffers. Both retry a BYOB read that stalls (streams.ts STALL_MS).

import { abortable, REUSED_CHUNK, RetryingByobReader, reusingStream } from './streams';
import type { ByteSource, PortableSource, StreamOptions } from './types';

/** Gaps up to this are streamed through; larger jumps start a new stream at the target. */
export const SEEK_GAP = 4 << 20;

export class BlobByteSource implements ByteSource {
  readonly size: number;
  /** The cursor: a BYOB reader into `buffer` where the Blob's stream is a byte stream. */
  private reader: RetryingByobReader | ReadableStreamDefaultReader<Uint8Array> | undefined;
  private buffer: ArrayBuffer | undefined;
  /** Unconsumed bytes of the current chunk, which starts at offset `at`. */
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /** `stallMs`: how long a BYOB read may stay pending before it is retried (streams.ts STALL_MS). */
  constructor(readonly blob: Blob, private readonly opts: { stallMs?: number } = {}) {
    this.size = blob.size;
  }

  /** The bytes at `offset`, a copy of their own: the cursor's buffer is refilled by the next read. */
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.queued(offset, length, false, signal);
  }

  /** The bytes at `offset`, a view of the cursor's buffer where they lie in one chunk: valid until the next read. */
  view(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.queued(offset, length, true, signal);
  }

  private queued(offset: number, length: number, view: boolean, signal?: AbortSignal): Promise<Uint8Array> {
    const run = () => { signal?.throwIfAborted(); return this.readNow(offset, length, view); };
    const p = this.queue.then(run, run);
    this.queue = p.then(() => undefined, () => undefined);
    return p;
  }

  stream(from = 0, to = this.size, signal?: AbortSignal, opts?: StreamOptions): ReadableStream<Uint8Array> {
    if (opts?.reuseChunks) return reusingStream((o) => this.blob.slice(from + o, to).stream(), signal, this.opts);
    return abortable(this.blob.slice(from, to).stream(), signal);
  }

  slice(from: number, to: number): BlobByteSource {
    return new BlobByteSource(this.blob.slice(from, to), this.opts);
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
    if (this.reader instanceof RetryingByobReader && this.chunk.byteLength) this.buffer = this.chunk.buffer as ArrayBuffer;
    this.close();
    const stream = this.blob.slice(offset).stream();
    const reopen = (o: number) => this.blob.slice(offset + o).stream();
    this.reader = RetryingByobReader.of(stream, reopen, { ...this.opts, base: offset }) ?? stream.getReader();
    this.at = offset;
  }

  /** The next chunk of the cursor's stream; false at its end. */
  private async next(): Promise<boolean> {
    if (!(this.reader instanceof RetryingByobReader)) {
      const r = await this.reader!.read();
      if (r.done) return false;
      this.at += this.chunk.length;
      this.chunk = r.value;
      return true;
    }
    // The chunk's bytes were copied out by the reads that wanted them: its buffer is refilled
    // (and the chunk detached by the read, so its length is taken first).
    const consumed = this.chunk.length;
    const buffer = this.chunk.byteLength ? this.chunk.buffer as ArrayBuffer : this.buffer ?? new ArrayBuffer(REUSED_CHUNK);
    this.buffer = undefined;
    const r = await this.reader.read(buffer);
    this.at += consumed;
    if (r.done || !r.value) { this.chunk = new Uint8Array(0); return false; }
    this.chunk = r.value;
    return true;
  }

  private async readNow(offset: number, length: number, view: boolean): Promise<Uint8Array> {
    length = Math.max(0, Math.min(length, this.size - offset));
    if (length === 0) return new Uint8Array(0);
    if (!this.reader || offset < this.at || offset - (this.at + this.chunk.length) > SEEK_GAP) this.open(offset);
    // Skip whole chunks before the offset.
    while (offset >= this.at + this.chunk.length) if (!(await this.next())) return new Uint8Array(0);
    const rel = offset - this.at;
    if (view && rel + length <= this.chunk.length) return this.chunk.subarray(rel, rel + length);
    const out = new Uint8Array(length);
    let n = Math.min(length, this.chunk.length - rel);
    out.set(this.chunk.subarray(rel, rel + n), 0);
    while (n < length) {
      if (!(await this.next())) return out.subarray(0, n);
      const take = Math.min(this.chunk.length, length - n);
      out.set(this.chunk.subarray(0, take), n);
      n += take;
    }
    return out;
  }
}
