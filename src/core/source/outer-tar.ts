// The outer archive (what `docker save` wrote): list its entries, follow its links, read its
// small entries. An uncompressed archive is listed by seeking from header to header, without
// reading bodies; a compressed one (`docker save | gzip`) allows no seeking and is read in
// one streaming pass, indexing layers as they go by.

import { normalisePath, readTarHeadersAt, TarWalker, looksLikeTarHeader, type BodySink, type TarEntry } from '../tar';
import { decompressStream, sniffCompression, type CodecError } from '../codec';
import { FormatError, MAX_JSON_BYTES } from '../image/json';
import type { EntryLookup } from '../image/layout';
import type { Compression, Warning } from '../types';
import { indexLayer, concat, type LayerResult } from '../pipeline/index-layer';
import type { ByteSource } from './types';

export interface OuterEntry {
  type: TarEntry['type'];
  /** Offset of the body in the archive (random-access mode only). */
  dataOffset: number;
  size: number;
  linkName: string;
}

/** Symlink and hard-link chains longer than this are treated as loops. */
const MAX_LINK_HOPS = 8;

export class OuterEntries implements EntryLookup {
  readonly entries = new Map<string, OuterEntry>();
  /** Paths in archive order (kaniko writes manifest.json last). */
  readonly order: string[] = [];

  constructor(private readonly readBody: (path: string, e: OuterEntry) => Promise<Uint8Array>) {}

  add(path: string, e: OuterEntry): void {
    if (!this.entries.has(path)) this.order.push(path);
    this.entries.set(path, e); // a repeated name: the last one wins, as tar extraction would
  }

  resolve(path: string): string | undefined {
    // An archive path under the root, as tar extraction resolves it (see tar/normalise-path.ts).
    let p = normalisePath(path).path;
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const e = this.entries.get(p);
      if (!e) return undefined;
      if (e.type === 'symlink') {
        // podman: <id>/layer.tar -> ../<digest>.tar, relative to the link's directory
        const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
        p = normalisePath(e.linkName.startsWith('/') ? e.linkName : `${dir}/${e.linkName}`).path;
      } else if (e.type === 'hardlink') {
        p = normalisePath(e.linkName).path;
      } else {
        return p;
      }
    }
    return undefined;
  }

  get(path: string): OuterEntry | undefined {
    const r = this.resolve(path);
    return r === undefined ? undefined : this.entries.get(r);
  }

  async read(path: string): Promise<Uint8Array> {
    const r = this.resolve(path);
    const e = r === undefined ? undefined : this.entries.get(r);
    if (r === undefined || !e) throw new FormatError(`${path} is not in the archive`, path);
    if (e.size > MAX_JSON_BYTES) throw new FormatError(`${path} is ${e.size} bytes: too large to be image metadata`, path);
    return this.readBody(r, e);
  }
}

/** List an uncompressed tar by jumping from header to header. */
export async function listTar(bytes: ByteSource, warnings: Warning[], signal?: AbortSignal): Promise<OuterEntries> {
  const read = (offset: number, length: number) => bytes.read(offset, length, signal);
  const view = bytes.view ? (offset: number, length: number) => bytes.view!(offset, length, signal) : undefined;
  const entries = new OuterEntries((_p, e) => bytes.read(e.dataOffset, e.size));
  await readTarHeadersAt(read, bytes.size, {
    onEntry: (e) => { entries.add(e.path, { type: e.type, dataOffset: e.dataOffset, size: e.stored, linkName: e.linkName }); },
    onWarning: (w) => warnings.push({ code: w.code, message: `archive: ${w.message}`, offset: w.offset, ...(w.entry ? { entry: w.entry } : {}) }),
  }, signal, view ? { view } : {});
  return entries;
}

export interface StreamedArchive {
  entries: OuterEntries;
  /** Layers indexed while streaming, by entry path. */
  layers: Map<string, Promise<LayerResult>>;
}

/** Bodies smaller than this are read whole before deciding what they are. */
const SNIFF_BYTES = 512;

/**
 * One pass over a compressed archive: small entries are kept (they may be manifests or configs),
 * entries whose bytes look like a layer (tar, gzip, zstd) are indexed as they stream by.
 */
export async function streamArchive(
  bytes: ByteSource, outer: Compression, warnings: Warning[],
  opts: { signal?: AbortSignal; verify?: boolean; onProgress?: (entry: string, storedBytes: number, total: number) => void },
): Promise<StreamedArchive> {
  const kept = new Map<string, Uint8Array>();
  const entries = new OuterEntries(async (p) => kept.get(p) ?? new Uint8Array(0));
  const layers = new Map<string, Promise<LayerResult>>();
  const pending: Pushable[] = [];

  const walker = new TarWalker({
    onEntry: (e) => {
      entries.add(e.path, { type: e.type, dataOffset: e.dataOffset, size: e.stored, linkName: e.linkName });
      if (e.type !== 'file' || e.stored === 0) return;
      return sniffingSink(e, kept, layers, pending, opts);
    },
    onWarning: (w) => warnings.push({ code: w.code, message: `archive: ${w.message}`, offset: w.offset, ...(w.entry ? { entry: w.entry } : {}) }),
  });
  const onWarning = (e: CodecError) => warnings.push({ code: e.code, message: `archive: ${e.message}`, ...(e.offset !== undefined ? { offset: e.offset } : {}) });
  const reader = decompressStream(outer, bytes.stream(0, bytes.size, opts.signal), { signal: opts.signal, onWarning }).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      walker.push(value);
      // Backpressure: a layer being indexed must keep up before the archive reads further.
      while (pending.length > 0) await pending.shift()!.ready();
    }
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    warnings.push({ code: 'archive-read-failed', message: `archive: ${(e as Error).message}`, offset: walker.position });
  } finally {
    walker.end();
  }
  return { entries, layers };
}

function sniffingSink(
  e: TarEntry, kept: Map<string, Uint8Array>, layers: Map<string, Promise<LayerResult>>, pending: Pushable[],
  opts: { signal?: AbortSignal; verify?: boolean; onProgress?: (entry: string, storedBytes: number, total: number) => void },
): BodySink {
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let mode: 'sniff' | 'keep' | 'layer' | 'skip' = 'sniff';
  let layer: Pushable | undefined;
  const keep: Uint8Array[] = [];

  const decide = () => {
    const first = concat(head, headBytes);
    const looksLayer = sniffCompression(first) !== 'none' || (first.length >= 512 && looksLikeTarHeader(first.subarray(0, 512)));
    if (looksLayer) {
      mode = 'layer';
      layer = pushable();
      const sink = layer;
      const result = indexLayer(layer.stream, {
        signal: opts.signal,
        verify: opts.verify,
        onProgress: (n) => opts.onProgress?.(e.path, n, e.stored),
      });
      // However the indexer ends, the archive must not wait on it again.
      void result.then(() => sink.abandon(), () => sink.abandon());
      layers.set(e.path, result);
      layer.push(first);
      pending.push(layer);
    } else if (e.stored <= MAX_JSON_BYTES) {
      mode = 'keep';
      keep.push(first.slice());
    } else {
      mode = 'skip';
    }
  };

  return {
    write(chunk) {
      if (mode === 'sniff') {
        head.push(chunk.slice());
        headBytes += chunk.length;
        if (headBytes >= Math.min(SNIFF_BYTES, e.stored)) decide();
      } else if (mode === 'layer') {
        layer!.push(chunk.slice());
        pending.push(layer!);
      } else if (mode === 'keep') {
        keep.push(chunk.slice());
      }
    },
    end() {
      if (mode === 'sniff') decide();
      if (mode === 'keep') kept.set(e.path, concat(keep));
      if (mode === 'layer') layer!.close();
    },
  };
}

interface Pushable {
  stream: ReadableStream<Uint8Array>;
  push(chunk: Uint8Array): void;
  close(): void;
  /** Resolves once the consumer has drained the queue below its high-water mark. */
  ready(): Promise<void>;
  /** The consumer is gone: drop further chunks and release any waiter. */
  abandon(): void;
}

const HIGH_WATER = 4 * 1024 * 1024;

function pushable(): Pushable {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let wake: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(c) { controller = c; },
    pull() { wake?.(); wake = undefined; },
    // The consumer gave up (a corrupt layer): drop the rest of this entry, never block on it.
    cancel() { abandon(); },
  }, new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER }));
  let closed = false;
  const abandon = () => { closed = true; wake?.(); wake = undefined; };
  return {
    stream,
    abandon,
    push(chunk) { if (!closed) controller.enqueue(chunk); },
    close() { if (!closed) { closed = true; controller.close(); } },
    ready() {
      if (closed || (controller.desiredSize ?? 1) > 0) return Promise.resolve();
      return new Promise((resolve) => { wake = resolve; });
    },
  };
}
