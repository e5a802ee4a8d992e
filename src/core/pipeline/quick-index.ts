// The quick pass over an uncompressed layer: read its tar headers by seeking from one to the next,
// never streaming file bodies (except the few package databases analyses need). The source batches
// the small reads (BlobByteSource streams through gaps of up to a few megabytes).
// A 2 GB docker-save layer is indexed after reading a few kilobytes per entry; digests and content
// hashes follow in the full streaming pass, which replaces this result.

import { readTarHeadersAt } from '../tar';
import { sniffCompression } from '../codec';
import { countFiles, LayerIndexBuilder } from '../index/layer-index';
import type { ByteSource } from '../source/types';
import type { Warning } from '../types';
import { addEntry, type Capture, type LayerResult } from './index-layer';

/** Index an uncompressed layer from its headers; null when the blob is compressed (no seeking). */
export async function quickIndexLayer(source: ByteSource, opts: { layer?: number; signal?: AbortSignal } = {}): Promise<LayerResult | null> {
  const head = await source.read(0, 16, opts.signal);
  if (sniffCompression(head) !== 'none') { source.close?.(); return null; }
  const warnings: Warning[] = [];
  const builder = new LayerIndexBuilder();
  const captures: Capture[] = [];
  const read = (offset: number, length: number) => source.read(offset, length, opts.signal);
  const view = source.view ? (offset: number, length: number) => source.view!(offset, length, opts.signal) : undefined;
  const warn = (w: Omit<Warning, 'layer'>) => warnings.push(opts.layer !== undefined ? { ...w, layer: opts.layer } : w);
  const { end } = await readTarHeadersAt(read, source.size, {
    onEntry: (e) => addEntry(e, builder, captures, undefined, false, warn),
    onWarning: (w) => warn({ code: w.code, message: w.message, offset: w.offset, ...(w.entry ? { entry: w.entry } : {}) }),
  }, opts.signal, view ? { view } : {}).finally(() => source.close?.());
  const entries = builder.finish();
  return {
    entries,
    files: countFiles(entries),
    compression: 'none',
    compressedSize: source.size,
    uncompressedSize: source.size,
    blobDigest: '' as LayerResult['blobDigest'],
    diffId: '' as LayerResult['diffId'],
    warnings,
    captures,
    complete: end <= source.size && !warnings.some((w) => w.code === 'tar-truncated' || w.code === 'tar-bad-checksum'),
    hashed: false,
  };
}
