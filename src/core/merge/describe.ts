// The attributes of one write, read from the layer index that holds its entry.

import { EntryKind } from '../types';
import { entryLink, type LayerIndex } from '../index/layer-index';
import { IMPLIED_DIR_MODE, hashOf } from './entry-compare';
import type { EventTable } from './events';

export interface WriteAttributes {
  kind: EntryKind;
  /** Bytes; a hard link shows its target's size. 0 for directories, symlinks and devices. */
  size: number;
  /** Permission bits as in the tar header (`0o755`), without the file type. */
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** A symlink's target as written (never followed), or a hard link's target path. */
  link?: string;
  /** Content hash (xxh64, 16 hex digits) of the body, a hard link's being its target's. */
  hash?: string;
}

export function describeWrite(layers: readonly LayerIndex[], ev: EventTable, w: number): WriteAttributes {
  const e = ev.entry[w]!;
  if (e < 0) return { kind: EntryKind.dir, size: 0, mode: IMPLIED_DIR_MODE, uid: 0, gid: 0, mtime: 0 };
  const x = layers[ev.layer[w]!]!;
  const kind = x.kind[e]! as EntryKind;
  const attrs: WriteAttributes = {
    kind,
    size: kind === EntryKind.file || kind === EntryKind.hardlink ? ev.bytes[w]! : 0,
    mode: x.mode[e]! & 0o7777,
    uid: x.uid[e]!,
    gid: x.gid[e]!,
    mtime: x.mtime[e]!,
  };
  const link = entryLink(x, e);
  if (link !== undefined) attrs.link = link;
  const h = hashOf(layers, ev, w);
  if (h) attrs.hash = h[0].toString(16).padStart(8, '0') + h[1].toString(16).padStart(8, '0');
  return attrs;
}
