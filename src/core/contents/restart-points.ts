// Where a compressed layer can be decoded from without starting at its first byte, recorded during
// the first pass (or the first rescan): pairs of (stored offset, uncompressed offset), ascending.
// - `member`: a gzip member starts there (multi-member gzip; estargz too, whose files are read
//   through its TOC, estargz-toc.ts, with these as the fallback);
// - `frame`: a zstd frame starts there;
// A single-stream gzip layer has none from the first pass (its native decoder cannot report deflate
// block boundaries): its first read records deflate checkpoints as zlib's examples/zran.c does,
// kept apart from these (gzip-checkpoints.ts), and later reads restart there.

export type RestartKind = 'member' | 'frame';

export interface RestartPoint {
  kind: RestartKind;
  /** Byte of the stored blob to start reading at. */
  stored: number;
  /** Uncompressed tar offset the decoder's output starts at. */
  plain: number;
}

export interface RestartPoints {
  points: RestartPoint[];
}

/** The last restart point at or before uncompressed offset `plain`, or undefined (start from 0). */
export function restartBefore(r: RestartPoints | undefined, plain: number): RestartPoint | undefined {
  if (!r) return undefined;
  const best = lastAtOrBefore(r.points, plain);
  return best && best.plain > 0 ? best : undefined;
}

/** Of points sorted by `plain`, the last whose `plain` is at or before `plain` (binary search). */
export function lastAtOrBefore<T extends { plain: number }>(pts: readonly T[], plain: number): T | undefined {
  let lo = 0;
  let hi = pts.length - 1;
  let best: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (pts[mid]!.plain <= plain) { best = pts[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}

/**
 * Restart points kept at least this far apart (uncompressed): reading a file then decodes at most
 * about this much before it, and a layer of a few GB keeps a few thousand numbers, not one per
 * member (an estargz layer has a member per file; its TOC locates each one: estargz-toc.ts).
 */
export const RESTART_SPACING = 1 << 20;

/** Collects the boundaries a decoder reports (DecompressOptions.onBoundary), thinned to RESTART_SPACING. */
export class RestartRecorder {
  readonly points: RestartPoint[] = [];
  private last = 0;

  constructor(private readonly kind: RestartKind) {}

  readonly add = (stored: number, plain: number): void => {
    if (plain - this.last < RESTART_SPACING) return;
    this.last = plain;
    this.points.push({ kind: this.kind, stored, plain });
  };
}
