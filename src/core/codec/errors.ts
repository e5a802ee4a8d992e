// Errors raised by the codec layer. One class so callers can `instanceof` once and switch on `code`.

export type CodecErrorCode =
  | 'gzip-corrupt'
  | 'gzip-truncated'
  /** Non-zero bytes after the last gzip member. `gzip -dc` warns ("trailing garbage ignored") and
   *  exits 2; so do we where the caller takes warnings (DecompressOptions.onWarning). */
  | 'gzip-trailing-garbage'
  | 'zstd-corrupt'
  | 'zstd-truncated'
  /** A valid frame we will not decode, e.g. a window larger than libzstd's default 128 MiB limit. */
  | 'zstd-unsupported'
  /** The WASM heap could not grow. */
  | 'zstd-memory'
  | 'zstd-unavailable'
  | 'aborted';

export class CodecError extends Error {
  override readonly name = 'CodecError';
  readonly code: CodecErrorCode;
  /** Compressed byte offset at (or just before) which the problem was detected, where known. */
  readonly offset: number | undefined;

  constructor(code: CodecErrorCode, message: string, offset?: number, options?: { cause?: unknown }) {
    super(offset === undefined ? message : `${message} (at compressed byte ${offset})`, options);
    this.code = code;
    this.offset = offset;
  }
}

export function abortError(signal: AbortSignal | undefined): CodecError {
  return new CodecError('aborted', 'decompression aborted', undefined, { cause: signal?.reason });
}
