// The quick pass over an uncompressed layer held in a Blob: read its tar headers by seeking from
// one to the next, never streaming file bodies (except the few package databases analyses need).
// A 2 GB docker-save layer is indexed after reading a few kilobytes per entry; digests and content
// hashes follow in the full streaming pass, which replaces this result.

import { readTarHeadersAt } from '../tar';
import { sniffCompression } from '../codec';
import { countFiles, LayerIndexBuilder } from '../index/layer-index';
import type { Warning } from '../types';
import { addEntry, type Capture, type LayerResult } from './index-layer';

/** Index an uncompressed layer from its headers; null when the blob is compressed (no seeking). */
export async function quickIndexLayer(blob: Blob, opts: { layer?: number; signal?: AbortSignal } = {}): Promise<LayerResult | null> {
  const head = new Uint8Array(await blob.slice(0, 16).arrayBuffer());
  if (sniffCompression(head) !== 'none') return null;
  const warnings: Warning[] = [];
  const builder = new LayerIndexBuilder();
  const captures: Capture[] = [];
  const read = async (offset: number, length: number) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
  const { end } = await readTarHeadersAt(read, blob.size, {
    onEntry: (e) => addEntry(e, builder, captures, undefined, false),
    onWarning: (w) => warnings.push({
      code: w.code, message: w.message, offset: w.offset,
      ...(opts.layer !== undefined ? { layer: opts.layer } : {}),
      ...(w.entry ? { entry: w.entry } : {}),
    }),
  }, opts.signal);
  const entries = builder.finish();
  return {
    entries,
    files: countFiles(entries),
    compression: 'none',
    compressedSize: blob.size,
    uncompressedSize: blob.size,
    blobDigest: '' as LayerResult['blobDigest'],
    diffId: '' as LayerResult['diffId'],
    warnings,
    captures,
    complete: end <= blob.size && !warnings.some((w) => w.code === 'tar-truncated' || w.code === 'tar-bad-checksum'),
    hashed: false,
  };
}
