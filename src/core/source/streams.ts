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
