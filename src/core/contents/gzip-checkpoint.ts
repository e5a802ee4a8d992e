// Restarting a single-stream gzip layer mid-stream (zlib's examples/zran.c): raw inflate primed
// with the bits left of the last byte read and the 32 KiB window as its dictionary.

import type { RestartPoint } from './restart-points';
import { ContentError } from './errors';

export function inflateFromCheckpoint(_input: ReadableStream<Uint8Array>, _point: RestartPoint, _signal?: AbortSignal): ReadableStream<Uint8Array> {
  throw new ContentError('content-unsupported', 'gzip checkpoints are not recorded yet');
}
