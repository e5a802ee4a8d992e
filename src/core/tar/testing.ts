// Helpers for tests of this folder and of its callers: run both walkers over bytes in memory.
// Pure TypeScript like the rest of core (tree-shaken out of the app).

import { readTarHeadersAt } from './random-access';
import type { TarEntry, TarWarning } from './types';
import { TarWalker } from './walker';

export interface Walked {
  entries: TarEntry[];
  warnings: TarWarning[];
  /** Each entry's body, concatenated from what its sink received (only when bodies were asked for). */
  bodies: Map<string, Uint8Array>;
  /** Where the walk stopped: the walker's position, or readTarHeadersAt's `end`. */
  end: number;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function recorder(withBodies: boolean) {
  const result: Walked = { entries: [], warnings: [], bodies: new Map(), end: 0 };
  const visitor = {
    onEntry(entry: TarEntry) {
      result.entries.push(entry);
      if (!withBodies) return;
      const parts: Uint8Array[] = [];
      // Copy: a subarray of a pushed chunk is only valid during write().
      return { write: (c: Uint8Array) => parts.push(c.slice()), end: () => result.bodies.set(entry.path, concat(parts)) };
    },
    onWarning(w: TarWarning) {
      result.warnings.push(w);
    },
  };
  return { result, visitor };
}

/** Push `bytes` through a TarWalker in chunks of `chunk` bytes (0: all at once). */
export function walkChunked(bytes: Uint8Array, chunk = 0, withBodies = false): Walked {
  const { result, visitor } = recorder(withBodies);
  const walker = new TarWalker(visitor);
  const step = chunk > 0 ? chunk : Math.max(1, bytes.length);
  for (let i = 0; i < bytes.length && !walker.finished; i += step) walker.push(bytes.subarray(i, i + step));
  walker.end();
  result.end = walker.position;
  return result;
}

/** Walk `bytes` with readTarHeadersAt, counting the reads it makes. */
export async function walkRandomAccess(bytes: Uint8Array, withBodies = false): Promise<Walked & { reads: number }> {
  const { result, visitor } = recorder(withBodies);
  let reads = 0;
  const read = async (offset: number, length: number) => {
    reads++;
    return bytes.slice(offset, offset + length);
  };
  const { end } = await readTarHeadersAt(read, bytes.length, visitor);
  return { ...result, end, reads };
}

/**
 * Every way a caller may feed an archive: whole, in 1-, 7- and 512-byte chunks, from a buffer
 * where headers are not 4-byte aligned, and by random access. All must report the same.
 */
export async function walkEveryWay(bytes: Uint8Array): Promise<{ whole: Walked; others: [string, Walked][] }> {
  const whole = walkChunked(bytes, 0, true);
  const unaligned = new Uint8Array(bytes.length + 1);
  unaligned.set(bytes, 1);
  const others: [string, Walked][] = [1, 7, 512].map((n) => [`${n}-byte chunks`, walkChunked(bytes, n, true)]);
  others.push(['unaligned', walkChunked(unaligned.subarray(1), 0, true)]);
  const { reads: _reads, ...ra } = await walkRandomAccess(bytes, true);
  others.push(['random access', ra]);
  return { whole, others };
}
