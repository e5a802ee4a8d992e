// Read a window of one tar entry's body out of a layer blob, without holding the layer: the entry
// is named by the offset of its first header block in the layer's uncompressed tar (the layer
// index records it), and its headers are parsed again there, so the index keeps no data offset.
// - uncompressed: one read of the headers, one range read of the window;
// - compressed: decode from the nearest restart point at or before the entry (restart-points.ts:
//   a gzip member or zstd frame boundary; gzip-checkpoints.ts: a deflate checkpoint), else from
//   the layer's start, discard the bytes before the entry, parse its headers and keep the window.

import { decompressStream } from '../codec';
import { readTarHeadersAt, TarWalker, type TarEntry } from '../tar';
import type { ByteSource } from '../source/types';
import type { Compression } from '../types';
import type { ContentHow, ContentProgress } from './types';
import { ContentError } from './errors';
import { restartBefore, type RestartPoints } from './restart-points';
import { bodyRange } from './sparse-fill';
import { planCheckpointRead, type GzipCheckpoints } from './gzip-checkpoints';
import { readWindowAtCheckpoint } from './gzip-window';

/** A layer blob and what the first pass learnt about reaching into it. */
export interface LayerBytes {
  source: ByteSource;
  compression: Compression;
  restarts?: RestartPoints;
  /** The first pass met estargz's `stargz.index.json`: files are read through its TOC (estargz-toc.ts). */
  estargz?: boolean;
  /** gzip: the deflate checkpoints recorded so far, and where new ones go (gzip-checkpoints.ts). */
  checkpoints?: GzipCheckpoints;
}

export interface BodyWindow {
  entry: TarEntry;
  /** The body bytes of [from, to) (clamped to the entry's stored bytes); of a sparse entry, the
   *  stored data of the segments the file window [from, to) touches (sparse-fill.ts). */
  bytes: Uint8Array;
  /** Where `bytes` start in the stored body (`from`, but for a sparse entry). */
  storedFrom: number;
  how: ContentHow;
  /** The decoder reached the end of a member or frame after the window (its CRC/checksum checked). */
  checkedToEnd: boolean;
  storedBytes: number;
  skippedBytes: number;
}

export interface ReadBodyOptions {
  signal?: AbortSignal;
  onProgress?: (p: ContentProgress) => void;
  /** The gzip decoder (tests run each); default the platform's. */
  gzip?: 'auto' | 'native' | 'pako';
}

/** Headers before a body rarely pass a few KiB (PAX records, GNU long names); read more if they do. */
const HEADER_READ = 16 * 1024;
/**
 * After the window, decoding goes on this far for the end of the stream (or the member or frame)
 * to come: its CRC32 or checksum then vouches for every byte decoded, skipped ones included.
 */
const CHECK_AHEAD = 1 << 20;
/** Progress is reported at most every this many decoded bytes. */
const PROGRESS_STEP = 4 << 20;

class Stop extends Error {}

/** The body window [from, to) of the entry whose first header is at `headerOffset` (a sparse
 *  entry: the stored bytes of that window of the file, its map on `entry`). */
export async function readBody(layer: LayerBytes, headerOffset: number, from: number, to: number, opts: ReadBodyOptions = {}): Promise<BodyWindow> {
  if (layer.compression === 'none') return readRange(layer.source, headerOffset, from, to, opts.signal);
  // Deep inside a large file of a gzip layer: from the checkpoint before the window (gzip-window.ts).
  const deep = from > 0 ? await readWindowAtCheckpoint(layer, headerOffset, from, to, opts, () => readDecoded(layer, headerOffset, 0, 0, opts)) : undefined;
  return deep ?? readDecoded(layer, headerOffset, from, to, opts);
}

async function readRange(source: ByteSource, headerOffset: number, from: number, to: number, signal?: AbortSignal): Promise<BodyWindow> {
  let entry: TarEntry | undefined;
  let stored = 0;
  const size = source.size - headerOffset;
  if (size <= 0) throw new ContentError('content-not-found', `the layer ends before byte ${headerOffset}, where the index says the entry starts`);
  // The header reads go through one small buffer: most entries need one read.
  let buf: Uint8Array = new Uint8Array(0);
  let bufAt = 0;
  const readAt = async (off: number, len: number): Promise<Uint8Array> => {
    if (off < bufAt || off + len > bufAt + buf.length) {
      buf = await source.read(headerOffset + off, Math.min(size - off, Math.max(len, HEADER_READ)), signal);
      bufAt = off;
      stored += buf.length;
    }
    return buf.subarray(off - bufAt, off - bufAt + len);
  };
  try {
    await readTarHeadersAt(readAt, size, { onEntry: (e) => { entry = e; throw new Stop(); } }, signal, { keepSparseMap: true });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  if (!entry) throw new ContentError('content-not-found', `no tar entry at byte ${headerOffset} of the layer, where the index says one starts: the layer is damaged, or not the one that was indexed`);
  const [first, last] = bodyRange(entry, from, to);
  const start = headerOffset + entry.dataOffset;
  const bytes = last > first ? await source.read(start + first, last - first, signal) : new Uint8Array(0);
  if (bytes.length < last - first) throw new ContentError('content-truncated', `the layer ends inside ${JSON.stringify(entry.rawPath)}: ${bytes.length} of ${last - first} bytes read`);
  stored += bytes.length;
  return { entry: { ...entry, headerOffset, dataOffset: start }, bytes, storedFrom: first, how: 'range', checkedToEnd: false, storedBytes: stored, skippedBytes: 0 };
}

async function readDecoded(layer: LayerBytes, headerOffset: number, from: number, to: number, opts: ReadBodyOptions): Promise<BodyWindow> {
  const { signal } = opts;
  const point = restartBefore(layer.restarts, headerOffset);
  let stored = 0;
  const counted = (s: ReadableStream<Uint8Array>) => s.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) { stored += chunk.length; c.enqueue(chunk); },
  }));
  // gzip: through deflate checkpoints (gzip-checkpoints.ts) unless the caller asked for the native decoder.
  const zran = layer.compression === 'gzip' && opts.gzip !== 'native' ? planCheckpointRead(layer.checkpoints, headerOffset, point, headerOffset + to) : undefined;
  const fromStored = zran ? zran.stored : point ? point.stored : 0;
  const input = counted(layer.source.stream(fromStored, layer.source.size, signal));
  const plain = zran ? zran.decode(input, signal) : decompressStream(layer.compression, input, { ...(signal ? { signal } : {}), ...(opts.gzip ? { gzip: opts.gzip } : {}), onWarning: () => undefined });
  const how: ContentHow = zran ? zran.how : !point ? 'rescan' : layer.compression === 'zstd' ? 'zstd-frame' : 'gzip-member';
  let at = zran ? zran.plain : point ? point.plain : 0;
  const startAt = at;
  let entry: TarEntry | undefined;
  let bodyEnded = false;
  const parts: Uint8Array[] = [];
  let have = 0;
  let first = from;
  let last = to;
  const walker = new TarWalker({
    onEntry: (e) => {
      if (entry) return;
      entry = e;
      [first, last] = bodyRange(e, from, to);
      let pos = 0;
      return {
        write(chunk) {
          const s = Math.max(first - pos, 0);
          const t = Math.min(last - pos, chunk.length);
          if (t > s) { parts.push(chunk.slice(s, t)); have += t - s; }
          pos += chunk.length;
        },
        end() { bodyEnded = true; },
      };
    },
  }, { keepSparseMap: true });
  const total = headerOffset - startAt + to;
  let nextProgress = PROGRESS_STEP;
  const reader = plain.getReader();
  let streamEnded = false;
  let windowDoneAt = -1;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { value, done } = await reader.read();
      if (done) { streamEnded = true; break; }
      let chunk = value;
      if (at < headerOffset) {
        const skip = Math.min(headerOffset - at, chunk.length);
        at += skip;
        if (skip === chunk.length) chunk = chunk.subarray(chunk.length);
        else chunk = chunk.subarray(skip);
      }
      if (chunk.length) { if (windowDoneAt < 0) walker.push(chunk); at += chunk.length; }
      if (at - startAt >= nextProgress) { opts.onProgress?.({ done: at - startAt, total }); nextProgress += PROGRESS_STEP; }
      if (windowDoneAt < 0 && entry && (bodyEnded || have >= last - first) && at >= headerOffset) windowDoneAt = at;
      // An empty window (the headers only, gzip-window.ts) has no bytes to vouch for.
      if (windowDoneAt >= 0 && (to <= from || at - windowDoneAt >= CHECK_AHEAD)) break;
      if (walker.finished && windowDoneAt < 0) break;
    }
  } catch (e) {
    zran?.discard();
    await reader.cancel().catch(() => undefined);
    if (signal?.aborted) throw signal.reason ?? e;
    if (e instanceof ContentError) throw e;
    throw new ContentError('content-corrupt', `the layer could not be decoded up to the file: ${(e as Error).message}`, { cause: e });
  }
  if (!entry || have < last - first) zran?.discard();
  if (!streamEnded) await reader.cancel().catch(() => undefined);
  if (!entry) throw new ContentError('content-not-found', `no tar entry at byte ${headerOffset} of the layer, where the index says one starts: the layer is damaged, or not the one that was indexed`);
  if (have < last - first) throw new ContentError('content-truncated', `the layer ends inside ${JSON.stringify(entry.rawPath)}: ${have} of ${last - first} bytes read`);
  return {
    entry: { ...entry, headerOffset, dataOffset: headerOffset + entry.dataOffset },
    bytes: join(parts, have),
    storedFrom: first,
    how,
    checkedToEnd: streamEnded,
    storedBytes: stored,
    // Thrown away: the tar before the entry, and its body before the window.
    skippedBytes: headerOffset - startAt + first,
  };
}

function join(parts: Uint8Array[], n: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
