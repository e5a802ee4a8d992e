// Deflate checkpoints of a gzip layer (zlib's examples/zran.c): reading a file of a single-stream
// gzip layer restarts at the last checkpoint before it instead of decoding from the layer's start.
//
// When they are recorded: not in the first pass. It decodes with the platform's DecompressionStream
// (the browser's and Node's fast path; MEASUREMENTS.md: 1.6x pako in Chromium), which cannot report
// block boundaries, and indexing must not get slower for reads that may never come. Instead, the
// first content read that would decode a long stretch of the layer (from its start or from a member
// boundary) decodes with pako's inflate under Z_BLOCK (codec/gzip-zran.ts) and records a checkpoint
// every `every` stored bytes on its way; a later read starts at the nearest checkpoint before its
// entry, and records more past the last one. So the first read pays pako's speed instead of the
// native decoder's, once per layer and stretch; each later read decodes at most about one spacing.
//
// Where they live: one GzipCheckpoints per layer, made on first use and kept beside the layer's
// result for as long as that result lives (the engine session's archive, the CLI's run); they are
// not saved, a reload records them again.
//
// Memory: a checkpoint holds the 32 KiB window plus seven numbers (~32.1 KiB). The spacing grows
// with the layer, `max(1 MiB, stored size / 128)`, and a checkpoint is refused within half a spacing
// of one already held, so a layer keeps at most ~256: a 1-2 GB layer read end to end keeps ~128
// (8-16 MiB of stored bytes apart, ~4 MiB in all, 8 MiB at the very worst); a 100 MB layer ~96.
//
// What vouches for the bytes restarted from a checkpoint: they are exactly what decoding from the
// start would give (the window is that decode's output), files up to WHOLE_FILE_LIMIT are still
// checked against the xxh64 of the first pass (read-file.ts), and a read that reaches the member's
// end checks its CRC32 over the whole member (the CRC of the part before the checkpoint is recorded
// with it). A large file's window that ends before the member does is unchecked (`check: 'none'`),
// as it is after a rescan. A decode that fails (corrupt or cut short) records nothing.

import { createZranGzipDecoder, decodeStream, type DeflateCheckpoint, type ZranStart } from '../codec';
import type { ContentHow } from './types';
import { lastAtOrBefore, type RestartPoint } from './restart-points';

export type { DeflateCheckpoint } from '../codec';

/** Spacing of checkpoints in stored bytes: at least this, and the layer's size over TARGET_COUNT. */
export const MIN_SPACING = 1 << 20;
const TARGET_COUNT = 128;
/** A hard cap whatever the order of reads (the half-spacing rule already keeps to about this). */
const MAX_COUNT = 2 * TARGET_COUNT;

/** The checkpoints recorded so far in one gzip layer, ascending. */
export class GzipCheckpoints {
  readonly points: DeflateCheckpoint[] = [];
  /** Stored bytes between checkpoints. */
  readonly every: number;

  constructor(storedSize: number, every?: number) {
    this.every = every ?? Math.max(MIN_SPACING, Math.ceil(storedSize / TARGET_COUNT));
  }

  /** The last checkpoint at or before uncompressed offset `plain`. */
  before(plain: number): DeflateCheckpoint | undefined {
    return lastAtOrBefore(this.points, plain);
  }

  /** Takes the points not within half a spacing of one already held (reads overlap). */
  readonly add = (points: DeflateCheckpoint[]): void => {
    for (const p of points) {
      if (this.points.length >= MAX_COUNT) return;
      const i = this.insertAt(p.stored);
      const prev = this.points[i - 1];
      const next = this.points[i];
      if ((prev && p.stored - prev.stored < this.every / 2) || (next && next.stored - p.stored < this.every / 2)) continue;
      this.points.splice(i, 0, p);
    }
  };

  /** Memory held, in bytes (the windows; the numbers are noise beside them). */
  get bytes(): number {
    let n = 0;
    for (const p of this.points) n += p.window.length;
    return n;
  }

  private insertAt(stored: number): number {
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.points[mid]!.stored < stored) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
}

const stores = new WeakMap<object, GzipCheckpoints>();

/** The checkpoints of the layer `owner` stands for (its first-pass result), made on first use. */
export function gzipCheckpointsOf(owner: object, storedSize: number): GzipCheckpoints {
  let s = stores.get(owner);
  if (!s) { s = new GzipCheckpoints(storedSize); stores.set(owner, s); }
  return s;
}

export interface CheckpointRead {
  /** Where decoding starts (stored and uncompressed offsets). */
  stored: number;
  plain: number;
  how: ContentHow;
  /** The decoded stream of the input from `stored` on; records checkpoints as it goes. */
  decode(input: ReadableStream<Uint8Array>, signal?: AbortSignal): ReadableStream<Uint8Array>;
  /**
   * The read failed (the tar headers there made no sense, the layer ended early): keep none of
   * the checkpoints this decode offers. A decode error already keeps none (gzip-zran.ts).
   */
  discard(): void;
}

/**
 * How to reach uncompressed offset `headerOffset` of a gzip layer through checkpoints, or undefined
 * to decode as before (no store, or the read ends, at about `reach`, within one spacing of where
 * decoding starts anyway: nothing to record that would help). `point` is the restart point
 * read-body.ts found.
 */
export function planCheckpointRead(store: GzipCheckpoints | undefined, headerOffset: number, point: RestartPoint | undefined, reach = headerOffset): CheckpointRead | undefined {
  if (!store) return undefined;
  const cp = store.before(headerOffset);
  const base = point ? point.plain : 0;
  let start: ZranStart;
  let how: ContentHow;
  if (cp && cp.plain > base) {
    start = cp;
    how = 'gzip-checkpoint';
  } else {
    if (reach - base < store.every) return undefined;
    start = point ? { stored: point.stored, plain: point.plain } : { stored: 0, plain: 0 };
    how = point ? 'gzip-member' : 'rescan';
  }
  let keep = true;
  const onCheckpoints = (points: DeflateCheckpoint[]): void => { if (keep) store.add(points); };
  return {
    stored: start.stored,
    plain: start.plain,
    how,
    decode: (input, signal) => decodeStream(input, () => createZranGzipDecoder({ start, every: store.every, onCheckpoints }), 'gzip-corrupt', signal),
    discard: () => { keep = false; },
  };
}
