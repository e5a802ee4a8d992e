// Stream helpers shared by the byte sources.

/** `stream`, cancelled (and erroring its reader) when `signal` aborts. */
export function abortable(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): ReadableStream<Uint8Array> {
  if (!signal) return stream;
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (signal.aborted) {
        await reader.cancel(signal.reason).catch(() => undefined);
        controller.error(signal.reason);
        return;
      }
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) { return reader.cancel(reason); },
  });
}

/** Bytes per buffer of a reusing stream: the per-read cost vanishes, two of them stay in cache. */
export const REUSED_CHUNK = 1 << 20;

/**
 * A BYOB read of a Blob that has not settled after this long is taken for stalled: Chromium 156's
 * Blob byte stream can leave a BYOB read pending forever (bench/README.md, "BYOB stalls"). A 1 MiB
 * read from a local file takes milliseconds; one reopened needlessly only costs a new stream.
 */
export const STALL_MS = 3000;

/** Stalls in a row, with no byte read between them, before the read is given up as an error. */
export const MAX_STALLS = 4;

/** The stalled-read error: a layer's read that made no progress, named by where it stopped. */
export class ReadStalledError extends Error {
  constructor(readonly offset: number) {
    super(`reading stopped at byte ${offset}: the browser answered none of ${MAX_STALLS + 1} reads there`);
    this.name = 'ReadStalledError';
  }
}

/** What `readWithin` returns when the read did not settle in time. */
const STALLED = Symbol('stalled');

/**
 * One BYOB read, or STALLED when it has not settled after `ms`. The view's buffer is transferred
 * to the read either way: after STALLED it is gone (the caller cancels that reader).
 */
function readWithin(reader: ReadableStreamBYOBReader, view: Uint8Array, ms: number): Promise<ReadableStreamReadResult<Uint8Array> | typeof STALLED> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const read = reader.read(view as Uint8Array<ArrayBuffer>);
  read.catch(() => undefined); // a stalled read settles (or rejects) after its reader is cancelled
  return Promise.race([
    read,
    new Promise<typeof STALLED>((resolve) => { timer = setTimeout(() => resolve(STALLED), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** A BYOB reader of `stream`, or undefined when it is not a byte stream. */
function byobReader(stream: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  try {
    return stream.getReader({ mode: 'byob' });
  } catch {
    return undefined;
  }
}

/**
 * A BYOB reader of a Blob's bytes whose every read races `stallMs` (STALL_MS): a read left
 * pending is retried on `open(offset)`, a new stream at the first byte not yet read, with a new
 * buffer (the stalled read keeps the one it was given). MAX_STALLS in a row, no byte read between
 * them, are a ReadStalledError at `base` + that offset.
 */
export class RetryingByobReader {
  private offset = 0;
  private stalls = 0;

  private constructor(
    private reader: ReadableStreamBYOBReader, private readonly open: (offset: number) => ReadableStream<Uint8Array>,
    private readonly stallMs: number, private readonly base: number,
  ) {}

  /** Reads `first` (which is `open(0)`); undefined when it is not a byte stream. */
  static of(
    first: ReadableStream<Uint8Array>, open: (offset: number) => ReadableStream<Uint8Array>,
    opts: { stallMs?: number; base?: number } = {},
  ): RetryingByobReader | undefined {
    const reader = byobReader(first);
    return reader && new RetryingByobReader(reader, open, opts.stallMs ?? STALL_MS, opts.base ?? 0);
  }

  /** The next bytes, read into `buffer` (transferred: the result's buffer is the one to reuse). */
  async read(buffer: ArrayBuffer, signal?: AbortSignal): Promise<ReadableStreamReadResult<Uint8Array>> {
    const size = buffer.byteLength; // before the read detaches it
    for (;;) {
      const r = await readWithin(this.reader, new Uint8Array(buffer), this.stallMs);
      if (r !== STALLED) {
        this.stalls = 0;
        if (!r.done && r.value) this.offset += r.value.length;
        return r;
      }
      void this.reader.cancel().catch(() => undefined);
      if (++this.stalls > MAX_STALLS) throw new ReadStalledError(this.base + this.offset);
      signal?.throwIfAborted();
      this.reader = byobReader(this.open(this.offset))!;
      buffer = new ArrayBuffer(size);
    }
  }

  cancel(reason?: unknown): Promise<void> {
    return this.reader.cancel(reason);
  }
}

/**
 * The bytes of `open(0)` (a byte stream: Chromium's and Node's `Blob.stream()`) read by a BYOB
 * reader into two buffers, refilled in turn, so that no chunk is fresh memory. Fresh memory costs
 * a page fault per 4 KiB; on the 2-core VM of bench/README.md the default reader's fresh chunks
 * read at 101 MB/s of CPU and this at 413. The price is the contract of ByteSource's `reuseChunks`:
 * a chunk is valid only until the consumer's next read (one chunk is queued ahead in the other
 * buffer, so reading overlaps the consumer's work). A read that stalls is retried
 * (RetryingByobReader). A stream that is not a byte stream is passed through.
 */
export function reusingStream(
  open: (offset: number) => ReadableStream<Uint8Array>, signal?: AbortSignal,
  opts: { size?: number; stallMs?: number } = {},
): ReadableStream<Uint8Array> {
  const size = opts.size ?? REUSED_CHUNK;
  const first = open(0);
  const reader = RetryingByobReader.of(first, open, opts);
  if (!reader) return abortable(first, signal);
  // A BYOB read transfers the buffer it is given (a chunk read before from that buffer is then
  // detached: empty, never silently overwritten) and hands it back as the new chunk's buffer.
  const spare: ArrayBuffer[] = [new ArrayBuffer(size), new ArrayBuffer(size)];
  let queued: ArrayBuffer | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (signal?.aborted) {
        await reader.cancel(signal.reason).catch(() => undefined);
        controller.error(signal.reason);
        return;
      }
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read(spare.shift()!, signal);
      } catch (e) {
        controller.error(e);
        return;
      }
      const { value, done } = r;
      if (done || !value) { controller.close(); return; }
      // The chunk queued before this one is done with once this one is read, which is what calls
      // the next pull: its buffer is that pull's.
      if (queued) spare.push(queued);
      queued = value.buffer as ArrayBuffer;
      controller.enqueue(value);
    },
    cancel(reason) { return reader.cancel(reason); },
  }, { highWaterMark: 1 });
}
