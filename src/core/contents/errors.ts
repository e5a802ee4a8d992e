// What can go wrong reading a file's contents, each with a sentence naming what and where.

export type ContentErrorCode =
  /** The path is not a readable file in this view (absent, a directory, a device). */
  | 'content-no-file'
  /** The layer's bytes are not available (not loaded yet, or a source that cannot be read again). */
  | 'content-unavailable'
  /** The index and the layer disagree: no entry where the index says one starts. */
  | 'content-not-found'
  | 'content-truncated'
  /** The bytes read do not decode, or do not match the content hash the first pass recorded. */
  | 'content-corrupt'
  | 'content-unsupported';

export class ContentError extends Error {
  override readonly name = 'ContentError';
  constructor(readonly code: ContentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
