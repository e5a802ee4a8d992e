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

/** Stalled reads retried in this thread so far (the bench prints it). */
export const readStalls = { count: 0 };

/** What `readWithin` returns when the read did not settle in time. */
export const STALLED = Symbol('stalled');

/**
 * One BYOB read, or STALLED when it has not settled after `ms`. The view's buffer is transferred
 * to the read either way: after STALLED it is gone (the caller cancels that reader).
 */
export function readWithin(reader: ReadableStreamBYOBReader, view: Uint8Array, ms: number): Promise<ReadableStreamReadResult<Uint8Array> | typeof STALLED> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const read = reader.read(view as Uint8Array<ArrayBuffer>);
  read.catch(() => undefined); // a stalled read settles (or rejects) after its reader is cancelled
  return Promise.race([
    read,
    new Promise<typeof STALLED>((resolve) => { timer = setTimeout(() => resolve(STALLED), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** A BYOB reader of `stream`, or undefined when it is not a byte stream. */
export function byobReader(stream: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  try {
    return stream.getReader({ mode: 'byob' });
  } catch {
    return undefined;
  }
}

/**
 * The bytes of `open(0)` (a byte stream: Chromium's and Node's `Blob.stream()`) read by a BYOB
 * reader into two buffers, refilled in turn, so that no chunk is fresh memory. Fresh memory costs
 * a page fault per 4 KiB; on the 2-core VM of bench/README.md the default reader's fresh chunks
 * read at 101 MB/s of CPU and this at 413. The price is the contract of ByteSource's `reuseChunks`:
 * a chunk is valid only until the consumer's next read (one chunk is queued ahead in the other
 * buffer, so reading overlaps the consumer's work). A read that stalls (STALL_MS) is retried on a
 * new stream, `open(offset)` at the first byte not yet read; MAX_STALLS in a row are an error.
 * A stream that is not a byte stream is passed through.
 */
export function reusingStream(
  open: (offset: number) => ReadableStream<Uint8Array>, signal?: AbortSignal,
  opts: { size?: number; stallMs?: number } = {},
): ReadableStream<Uint8Array> {
  const size = opts.size ?? REUSED_CHUNK;
  const stallMs = opts.stallMs ?? STALL_MS;
  const first = open(0);
  let reader = byobReader(first);
  if (!reader) return abortable(first, signal);
  // A BYOB read transfers the buffer it is given (a chunk read before from that buffer is then
  // detached: empty, never silently overwritten) and hands it back as the new chunk's buffer.
  const spare: ArrayBuffer[] = [new ArrayBuffer(size), new ArrayBuffer(size)];
  let queued: ArrayBuffer | undefined;
  let offset = 0;
  let stalls = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (signal?.aborted) {
          await reader!.cancel(signal.reason).catch(() => undefined);
          controller.error(signal.reason);
          return;
        }
        const r = await readWithin(reader!, new Uint8Array(spare.shift()!, 0, size), stallMs);
        if (r === STALLED) {
          // The stalled read keeps its buffer: a new one takes its place, and a new stream starts
          // where the bytes stopped.
          spare.unshift(new ArrayBuffer(size));
          readStalls.count++;
          void reader!.cancel().catch(() => undefined);
          if (++stalls > MAX_STALLS) { controller.error(new ReadStalledError(offset)); return; }
          reader = byobReader(open(offset))!;
          continue;
        }
        const { value, done } = r;
        if (done || !value) { controller.close(); return; }
        stalls = 0;
        offset += value.length;
        // The chunk queued before this one is done with once this one is read, which is what calls
        // the next pull: its buffer is that pull's.
        if (queued) spare.push(queued);
        queued = value.buffer as ArrayBuffer;
        controller.enqueue(value);
        return;
      }
    },
    cancel(reason) { return reader!.cancel(reason); },
  }, { highWaterMark: 1 });
}
