// The streaming entry point: compressed ReadableStream in, decompressed ReadableStream out.
// Memory stays bounded: output is produced only as fast as the consumer pulls (one queued chunk),
// and input is read only as fast as output drains.
import type { Compression } from '../types';
import { CodecError, abortError, type CodecErrorCode } from './errors';
import { createPakoGzipDecoder, type GzipDecoderOptions } from './gzip-pako';
import { gunzipNative, type GzipNativeFactory } from './gzip-native';
import type { PushDecoder } from './push-decoder';
import { createZstdDecoder } from './zstd';

export interface DecompressOptions {
  signal?: AbortSignal;
  /**
   * gzip implementation. 'auto' (default) uses DecompressionStream where it exists (1.6x faster
   * than pako in Chromium) and pako elsewhere. 'pako' and a custom factory exist for tests and
   * benchmarks.
   */
  gzip?: 'auto' | 'native' | 'pako' | GzipNativeFactory;
  /**
   * Takes what is wrong but leaves the output whole: bytes after the last gzip member that are not
   * zero padding (`gzip -dc`: "decompression OK, trailing garbage ignored"). They are then ignored
   * and reported here as a CodecError('gzip-trailing-garbage'); without this option they error
   * the stream, after everything decoded before them.
   */
  onWarning?: (warning: CodecError) => void;
  /**
   * A gzip member or zstd frame ended at compressed byte `stored` after `plain` bytes of output: the
   * stream can be decoded afresh from there (core/contents records these as restart points).
   * Called as the decoder reaches the boundary, before the consumer has read all that output.
   */
  onBoundary?: (stored: number, plain: number) => void;
  /**
   * The consumer is done with each chunk (has copied what it keeps) before it reads the next one.
   * zstd then decodes into a ring of reused buffers instead of a fresh one per chunk (see
   * ZstdDecoderOptions.reuse for why). A consumer that keeps chunks must leave this off.
   */
  reuseChunks?: boolean;
}

type Emit = (chunk: Uint8Array) => Promise<void>;

// Chunks queued ahead of the consumer (each <= 128 KiB from zstd, 64 KiB from pako). With 1, every
// chunk waits for a pull round trip; a few let the producer run ahead while memory stays ~1 MiB.
const QUEUED_CHUNKS = 4;
type Producer = (input: ReadableStreamDefaultReader<Uint8Array>, emit: Emit, signal: AbortSignal) => Promise<void>;

/**
 * Runs `produce` against a ReadableStream with backpressure. Aborting `outer` (or cancelling the
 * returned stream) cancels the input, stops the producer at its next await and errors the output
 * with CodecError('aborted') at once, without waiting for the producer to notice.
 */
function produceStream(
  input: ReadableStream<Uint8Array>,
  produce: Producer,
  fallback: CodecErrorCode,
  outer?: AbortSignal,
): ReadableStream<Uint8Array> {
  const ac = new AbortController();
  const reader = input.getReader();
  let wake: (() => void) | undefined;
  let finished = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const stop = (reason: unknown, report: boolean): void => {
    if (finished) return;
    finished = true;
    ac.abort(reason);
    wake?.();
    reader.cancel(reason).catch(() => {});
    if (report) controller.error(abortError(ac.signal));
  };
  const onOuterAbort = (): void => stop(outer?.reason, true);

  const emit: Emit = async (chunk) => {
    if (ac.signal.aborted) throw abortError(ac.signal);
    controller.enqueue(chunk);
    while ((controller.desiredSize ?? 1) <= 0 && !ac.signal.aborted) {
      await new Promise<void>((resolve) => { wake = resolve; });
    }
    if (ac.signal.aborted) throw abortError(ac.signal);
  };

  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (outer?.aborted) { stop(outer.reason, true); return; }
      outer?.addEventListener('abort', onOuterAbort, { once: true });
      produce(reader, emit, ac.signal).then(
        () => {
          if (finished) return;
          finished = true;
          controller.close();
        },
        (e: unknown) => {
          if (finished) return;
          finished = true;
          reader.cancel(e).catch(() => {});
          controller.error(e instanceof CodecError ? e : new CodecError(fallback, String(e), undefined, { cause: e }));
        },
      ).finally(() => outer?.removeEventListener('abort', onOuterAbort));
    },
    pull() {
      wake?.();
      wake = undefined;
    },
    cancel(reason) {
      stop(reason, false);
    },
  }, { highWaterMark: QUEUED_CHUNKS });
}

/** Drives a synchronous push decoder; each output chunk waits for the consumer. */
function pushProducer(open: () => PushDecoder | Promise<PushDecoder>): Producer {
  return async (input, emit, signal) => {
    const decoder = await open();
    try {
      for (;;) {
        const { done, value } = await input.read();
        if (signal.aborted) throw abortError(signal);
        if (done) break;
        for (const out of decoder.push(value)) await emit(out);
      }
      for (const out of decoder.end()) await emit(out);
    } finally {
      decoder.dispose();
    }
  };
}

const passThrough: Producer = async (input, emit, signal) => {
  for (;;) {
    const { done, value } = await input.read();
    if (signal.aborted) throw abortError(signal);
    if (done) return;
    await emit(value);
  }
};

/**
 * Decompresses a layer blob as a stream. Errors surface as CodecError on the returned stream:
 * corrupt data, truncation and trailing garbage are never silent.
 */
export function decompressStream(
  kind: Compression,
  input: ReadableStream<Uint8Array>,
  opts: DecompressOptions = {},
): ReadableStream<Uint8Array> {
  let producer: Producer;
  if (kind === 'none') {
    producer = passThrough;
  } else if (kind === 'zstd') {
    const onFrame = opts.onBoundary;
    // Live chunks: QUEUED_CHUNKS in the queue, one being read, one being written by the decoder.
    const reuse = opts.reuseChunks ? QUEUED_CHUNKS + 2 : 0;
    producer = pushProducer(() => createZstdDecoder({ reuse, ...(onFrame ? { onFrame } : {}) }));
  } else {
    const choice = opts.gzip ?? 'auto';
    const hasNative = typeof DecompressionStream === 'function';
    const onWarning = opts.onWarning;
    const gz: GzipDecoderOptions = {
      ...(onWarning ? { onTrailingGarbage: (at: number) => onWarning(new CodecError('gzip-trailing-garbage', 'bytes after the last gzip member, ignored as gzip -dc does', at)) } : {}),
      ...(opts.onBoundary ? { onMember: opts.onBoundary } : {}),
    };
    if (typeof choice === 'function') {
      producer = (i, e, s) => gunzipNative(i, e, s, choice, gz);
    } else if (choice === 'native' || (choice === 'auto' && hasNative)) {
      producer = (i, e, s) => gunzipNative(i, e, s, undefined, gz);
    } else {
      producer = pushProducer(() => createPakoGzipDecoder(gz));
    }
  }
  return produceStream(input, producer, kind === 'zstd' ? 'zstd-corrupt' : 'gzip-corrupt', opts.signal);
}

/**
 * Runs a push decoder the caller makes over a stream, with the same backpressure, abort and error
 * handling as decompressStream (core/contents restarts gzip layers at checkpoints this way).
 */
export function decodeStream(
  input: ReadableStream<Uint8Array>,
  open: () => PushDecoder,
  fallback: CodecErrorCode,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  return produceStream(input, pushProducer(open), fallback, signal);
}
