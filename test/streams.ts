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
