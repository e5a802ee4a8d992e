// A window deep inside a large file of a gzip layer, through deflate checkpoints: the file's
// headers are read as any read does (from the checkpoint before them), then the window is decoded
// from the last checkpoint before the window itself, not from before the file. Without this, each
// window of a large file (the CLI's `--cat` reads 16 MiB at a time, the page's download the same)
// decodes the file again from its start: a 1 GB file read in 64 windows decodes ~32 GB.
//
// A tar entry's body is contiguous in the tar stream: its `stored` bytes from `dataOffset` on
// (for a sparse file the data segments, the walker having consumed any PAX 1.0 map before them),
// so the window is the uncompressed bytes [dataOffset + from, dataOffset + to) of the layer.

import { createZranGzipDecoder, decodeStream } from '../codec';
import { ContentError } from './errors';
import type { GzipCheckpoints } from './gzip-checkpoints';
import { bodyRange } from './sparse-fill';
import type { BodyWindow, LayerBytes, ReadBodyOptions } from './read-body';

/** A checkpoint less than this past the entry's header saves too little to take a second pass. */
const WORTH_IT = 4 << 20;
/** As read-body.ts: decode on this far past the window for the member's end (its CRC32). */
const CHECK_AHEAD = 1 << 20;
const PROGRESS_STEP = 4 << 20;

type ReadHead = () => Promise<BodyWindow>;

/**
 * The window [from, to) of the entry at `headerOffset`, or undefined when no checkpoint inside
 * the file's body before `from` is far enough past its header to be worth it (read as usual then).
 * `readHead` reads the entry's headers and no body bytes (readBody with an empty window).
 */
export async function readWindowAtCheckpoint(layer: LayerBytes, headerOffset: number, from: number, to: number, opts: ReadBodyOptions, readHead: ReadHead): Promise<BodyWindow | undefined> {
  const store = layer.checkpoints;
  if (layer.compression !== 'gzip' || !store || opts.gzip === 'native' || to <= from) return undefined;
  // The body starts at least one header block after headerOffset.
  const guess = store.before(headerOffset + 512 + from);
  if (!guess || guess.plain - headerOffset < WORTH_IT) return undefined;
  const head = await readHead();
  const { entry } = head;
  // A sparse file's window is of the file: the stored bytes behind it are its data segments'.
  const [first, last] = bodyRange(entry, from, to);
  const start = entry.dataOffset + first;
  const cp = store.before(start);
  if (!cp || cp.plain <= entry.dataOffset) return undefined;
  const got = await decodeWindow(layer, store, cp, start, start + (last - first), opts);
  return {
    entry,
    bytes: got.bytes,
    storedFrom: first,
    how: 'gzip-checkpoint',
    checkedToEnd: got.ended,
    storedBytes: head.storedBytes + got.stored,
    skippedBytes: head.skippedBytes + (start - cp.plain),
  };
}

/** The uncompressed bytes [begin, end) of the layer, decoded from checkpoint `cp` (recording on). */
async function decodeWindow(layer: LayerBytes, store: GzipCheckpoints, cp: NonNullable<ReturnType<GzipCheckpoints['before']>>, begin: number, end: number, opts: ReadBodyOptions): Promise<{ bytes: Uint8Array; ended: boolean; stored: number }> {
  const { signal } = opts;
  let stored = 0;
  let keep = true;
  const input = layer.source.stream(cp.stored, layer.source.size, signal).pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) { stored += chunk.length; c.enqueue(chunk); },
  }));
  const plain = decodeStream(input, () => createZranGzipDecoder({ start: cp, every: store.every, onCheckpoints: (p) => { if (keep) store.add(p); } }), 'gzip-corrupt', signal);
  const out = new Uint8Array(end - begin);
  let at = cp.plain;
  let ended = false;
  let nextProgress = PROGRESS_STEP;
  const reader = plain.getReader();
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { value, done } = await reader.read();
      if (done) { ended = true; break; }
      const s = Math.max(begin - at, 0);
      const t = Math.min(end - at, value.length);
      if (t > s) out.set(value.subarray(s, t), at + s - begin);
      at += value.length;
      if (at - cp.plain >= nextProgress) { opts.onProgress?.({ done: at - cp.plain, total: end - cp.plain }); nextProgress += PROGRESS_STEP; }
      if (at >= end + CHECK_AHEAD) break;
    }
  } catch (e) {
    keep = false;
    await reader.cancel().catch(() => undefined);
    if (signal?.aborted) throw signal.reason ?? e;
    throw new ContentError('content-corrupt', `the layer could not be decoded up to the file: ${(e as Error).message}`, { cause: e });
  }
  if (at < end) {
    keep = false;
    throw new ContentError('content-truncated', `the layer ends ${end - at} bytes before the end of the window read`);
  }
  if (!ended) await reader.cancel().catch(() => undefined);
  return { bytes: out, ended, stored };
}
