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
 * `stream` (a byte stream: Chromium's and Node's `Blob.stream()`) read by a BYOB reader into two
 * buffers, refilled in turn, so that no chunk is fresh memory. Fresh memory costs a page fault per
 * 4 KiB; on the 2-core VM of bench/README.md the default reader's fresh chunks read at 101 MB/s
 * of CPU and this at 413. The price is the contract of ByteSource's `reuseChunks`: a chunk is
 * valid only until the consumer's next read (one chunk is queued ahead in the other buffer, so
 * reading overlaps the consumer's work). A stream that is not a byte stream is passed through.
 */
export function reusingStream(stream: ReadableStream<Uint8Array>, signal?: AbortSignal, size = REUSED_CHUNK): ReadableStream<Uint8Array> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    return abortable(stream, signal);
  }
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
      const { value, done } = await reader.read(new Uint8Array(spare.shift()!, 0, size));
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
