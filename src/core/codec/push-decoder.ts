/**
 * A synchronous decoder for use inside a tight loop (e.g. a tar walker that wants no `await` per
 * chunk). Outputs are produced lazily: iterate each result to the end before the next `push`, so
 * a 32 KiB chunk of a zstd-compressed zero-filled file (ratios beyond 10,000:1) never becomes one
 * giant buffer. Every yielded chunk is a fresh copy the caller may keep.
 */
export interface PushDecoder {
  push(chunk: Uint8Array): Iterable<Uint8Array>;
  /** Declares the end of input: flushes, then throws a CodecError if the stream was truncated. */
  end(): Iterable<Uint8Array>;
  /** Frees native resources. Idempotent; called for you after `end()` or any error. */
  dispose(): void;
}
