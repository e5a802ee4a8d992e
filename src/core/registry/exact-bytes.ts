// A blob's body held to the length its descriptor declares (distribution-spec: the blob is exactly
// `size` bytes): more or fewer bytes fail the stream with a RegistryError.

import { RegistryError } from './errors';

export function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (c) => c.close() });
}

/**
 * Passes exactly `expected` bytes on (after skipping `range.skip` when a server ignored our Range),
 * failing the stream when the source sends more or fewer: a blob's length is its descriptor's size.
 */
export function exactBytes(body: ReadableStream<Uint8Array>, expected: number, what: string, range?: { skip: number; take: number }): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  const start = range?.skip ?? 0;
  const end = range ? range.skip + range.take : expected;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          // An abort is the caller's, not the network's: pass it on as it is.
          controller.error(e instanceof Error && e.name === 'AbortError' ? e : new RegistryError('unreachable', `${what}: the connection broke after ${seen} of ${expected} bytes`));
          return;
        }
        if (r.done) {
          if (seen < expected) controller.error(new RegistryError('bad-response', `${what} ended after ${seen} of ${expected} bytes`));
          else controller.close();
          return;
        }
        const chunk = r.value;
        const at = seen;
        seen += chunk.byteLength;
        if (!range && seen > expected) {
          await reader.cancel().catch(() => undefined);
          controller.error(new RegistryError('too-large', `${what} is longer than the ${expected} bytes its descriptor declares`));
          return;
        }
        const lo = Math.max(start - at, 0);
        const hi = Math.min(end - at, chunk.byteLength);
        if (hi > lo) { controller.enqueue(chunk.subarray(lo, hi)); }
        if (range && seen >= end) {
          await reader.cancel().catch(() => undefined);
          controller.close();
          return;
        }
        if (hi > lo) return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
