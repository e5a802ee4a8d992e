// A ReadableStream over bytes in chunks of a fixed size: how tests feed stream parsers 1, 7 or 512
// bytes at a time, and how probes and benchmarks feed decoders. Pure: runs in Node and in a worker.
export function chunkedStream(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let pos = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (pos >= bytes.length) { c.close(); return; }
      c.enqueue(bytes.slice(pos, pos + size));
      pos += size;
    },
  });
}

/**
 * The strictest reading of ByteSource's `reuseChunks` contract: every chunk is a view of one
 * buffer, overwritten in place with the next bytes when the consumer reads again (nothing is read
 * ahead). A consumer that keeps a chunk past its next read then holds other bytes than it was
 * given, which digests and captured files show.
 */
export function overwritingStream(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  const buffer = new Uint8Array(size);
  let pos = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (pos >= bytes.length) { c.close(); return; }
      const n = Math.min(size, bytes.length - pos);
      buffer.set(bytes.subarray(pos, pos + n));
      pos += n;
      c.enqueue(buffer.subarray(0, n));
    },
  }, { highWaterMark: 0 });
}
