// One file of an image, read from the layer that holds its visible copy: which copy the view shows
// (a hard link's target, the lower copy of a path a layer removed), a window of its bytes through
// read-body.ts (or, in an estargz layer, through its TOC: estargz-toc.ts), a sparse file's holes
// filled (sparse-fill.ts), and the checks a user can rely on: a file read whole must match the
// xxh64 the first pass recorded, so a flipped byte is an error, never wrong text.

import { createContentHasher, createSha256 } from '../codec';
import { entryLink, entryPath } from '../index/layer-index';
import type { MergedImage, View } from '../merge';
import { EntryKind } from '../types';
import { ContentError } from './errors';
import { readBody, type LayerBytes, type ReadBodyOptions } from './read-body';
import { SNIFF_BYTES, sniffContent } from './sniff-type';
import { fillHoles, sparseLayout } from './sparse-fill';
import { readViaToc } from './estargz-toc';
import type { ContentCheck, FileContent } from './types';

/**
 * Files up to this size are read whole whatever window is asked, so their content hash is checked
 * (and their sha256 given). Larger ones are read by window: see `check` for what vouches for them.
 */
export const WHOLE_FILE_LIMIT = 16 << 20;

export interface ReadFileOptions extends ReadBodyOptions {
  /** The bytes of the image's layer at this position (its index in the view's layer numbers). */
  layerBytes(layer: number): LayerBytes | undefined;
}

const KIND_NAMES: Record<number, string> = {
  [EntryKind.dir]: 'a directory', [EntryKind.charDevice]: 'a character device', [EntryKind.blockDevice]: 'a block device',
  [EntryKind.fifo]: 'a FIFO',
};

/** The bytes [offset, offset + length) of `path` as `view` shows it. */
export async function readFileContent(merged: MergedImage, view: View, path: string, offset: number, length: number, opts: ReadFileOptions): Promise<FileContent> {
  const where = `/${path}`;
  const node = merged.findPath(path);
  if (node <= 0) throw new ContentError('content-no-file', `${where}: no such file in this image`);
  let w = merged.visibleWrite(node, view);
  let removedBy: number | undefined;
  // A path the view's layer removed shows, in that layer's own view, as it was before (nodeInfo).
  if (w < 0 && view.mode === 'layerOnly' && view.layer > 0 && merged.isVisible(node, view)) {
    w = merged.visibleWrite(node, { mode: 'upTo', layer: view.layer - 1 });
    if (w >= 0) removedBy = view.layer;
  }
  if (w < 0) throw new ContentError('content-no-file', `${where}: not in this view`);
  const ev = merged.events;
  const ownLayer = ev.layer[w]!;
  const ownEntry = ev.entry[w]!;
  if (ownEntry < 0) throw new ContentError('content-no-file', `${where} is a directory`);
  const own = merged.layers[ownLayer]!;
  const kind = own.kind[ownEntry]!;
  const base = { path, offset: 0, bytes: new Uint8Array(0), check: 'none' as ContentCheck, cost: { storedBytes: 0, skippedBytes: 0 }, ...(removedBy !== undefined ? { removedBy } : {}) };
  if (kind === EntryKind.symlink) {
    return { ...base, size: 0, type: 'empty', how: 'range', from: { layer: ownLayer, path: entryPath(own, ownEntry) }, symlinkTarget: entryLink(own, ownEntry) ?? '' };
  }
  if (KIND_NAMES[kind]) throw new ContentError('content-no-file', `${where} is ${KIND_NAMES[kind]}: it has no contents to show`);
  const [layer, entry] = ev.source(w);
  const index = merged.layers[layer]!;
  if (index.kind[entry] !== EntryKind.file) {
    throw new ContentError('content-no-file', `${where} is a hard link to /${entryLink(own, ownEntry) ?? ''}, which no lower layer holds`);
  }
  const size = index.size[entry]!;
  const from = { layer, path: entryPath(index, entry) };
  const bytes = opts.layerBytes(layer);
  if (!bytes) throw new ContentError('content-unavailable', `${where}: layer ${layer} is not readable here`);

  const first = Math.max(0, Math.min(offset, size));
  const last = Math.max(first, Math.min(size, first + Math.max(0, length)));
  const whole = size <= WHOLE_FILE_LIMIT;
  // Every stored byte is read when there are few enough, so the content hash is checked: all of a
  // small file, all the data of a sparse one whose holes make it large (sparse-fill.ts).
  const readAll = index.stored[entry]! <= WHOLE_FILE_LIMIT;
  // A window that does not start at 0 also needs the file's first bytes, to sniff its type.
  const readFrom = readAll ? 0 : first;
  const readTo = readAll ? size : last;
  const viaToc = await readViaToc(bytes, from.path, size, index.stored[entry]!, readFrom, readTo, true, opts.signal);
  const got = viaToc && 'window' in viaToc ? viaToc.window : await readBody(bytes, index.offset[entry]!, readFrom, readTo, opts);
  const layout = got.entry.sparse ? sparseLayout(got.entry) : undefined;
  // The file's bytes [a, b) from what was read: holes filled with zeros for a sparse file.
  const fileBytes = (a: number, b: number): Uint8Array => layout ? fillHoles(layout, got.bytes, got.storedFrom, a, b) : got.bytes.subarray(a - readFrom, b - readFrom);
  if (got.entry.path !== from.path) {
    throw new ContentError('content-not-found', `${where}: the layer holds ${JSON.stringify(got.entry.rawPath)} where the index says ${JSON.stringify(from.path)} starts`);
  }
  let head = readFrom === 0 ? fileBytes(0, Math.min(size, SNIFF_BYTES)) : new Uint8Array(0);
  if (readFrom > 0) {
    const toc = viaToc && 'window' in viaToc ? await readViaToc(bytes, from.path, size, size, 0, Math.min(size, SNIFF_BYTES), false, opts.signal) : undefined;
    const h = toc && 'window' in toc ? toc.window : await readBody(bytes, index.offset[entry]!, 0, Math.min(size, SNIFF_BYTES), opts);
    head = h.entry.sparse ? fillHoles(sparseLayout(h.entry), h.bytes, h.storedFrom, 0, Math.min(size, SNIFF_BYTES)) : h.bytes;
  }
  let check: ContentCheck = !got.checkedToEnd ? 'none' : got.how === 'estargz-toc' ? 'chunk-digest' : bytes.compression === 'zstd' ? 'frame-checksum' : bytes.compression === 'gzip' ? 'member-crc' : 'none';
  let sha256: string | undefined;
  // The first pass hashed the body as stored (a sparse file: its data segments, not the holes).
  if (readAll) {
    const hi = index.hash[2 * entry]!;
    const lo = index.hash[2 * entry + 1]!;
    if (hi !== 0 || lo !== 0) {
      const h = await createContentHasher();
      h.init();
      h.update(got.bytes);
      const d = h.digest();
      if (d.hi !== hi || d.lo !== lo) {
        throw new ContentError('content-corrupt', `${where}: the bytes read from layer ${layer} do not match the content hash recorded when the layer was indexed (the layer is damaged, or changed since)`);
      }
      check = 'whole-file';
    }
  }
  let window: Uint8Array;
  if (whole) {
    const all = fileBytes(0, size);
    const s = await createSha256();
    s.update(all);
    sha256 = s.digest();
    window = all.slice(first, last);
  } else window = layout ? fileBytes(first, last) : readAll ? fileBytes(first, last).slice() : got.bytes;
  return {
    ...base,
    size,
    offset: first,
    bytes: window,
    ...sniffContent(head, size),
    ...(sha256 ? { sha256 } : {}),
    check,
    how: got.how,
    from,
    cost: { storedBytes: got.storedBytes, skippedBytes: got.skippedBytes },
    ...(viaToc && 'note' in viaToc ? { note: viaToc.note } : {}),
  };
}
