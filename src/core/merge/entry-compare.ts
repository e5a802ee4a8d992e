// Comparing two writes of one path: is it the same content (kind, size, content hash, link
// target for symlinks counts as metadata), and the same metadata (mode, owner, mtime, target)?
// Attributes are read from the layer indexes on demand; nothing is copied per entry.

import { EntryKind } from '../types';
import type { LayerIndex } from '../index/layer-index';
import { IMPLIED, type EventTable } from './events';

/** Mode of a directory the runtime had to create because a tar left it implicit. */
export const IMPLIED_DIR_MODE = 0o755;

export function writeKind(layers: readonly LayerIndex[], ev: EventTable, i: number): EntryKind {
  const e = ev.entry[i]!;
  return e < 0 ? EntryKind.dir : (layers[ev.layer[i]!]!.kind[e]! as EntryKind);
}

/**
 * Content equality. Sizes must match and, for files, both content hashes must be known and equal:
 * without hashes we cannot claim "same bytes", so the change is reported as a modification.
 */
export function sameContent(layers: readonly LayerIndex[], ev: EventTable, a: number, b: number): boolean {
  const ka = writeKind(layers, ev, a);
  if (ka !== writeKind(layers, ev, b)) return false;
  if (ka !== EntryKind.file && ka !== EntryKind.hardlink) return true;
  if (ev.bytes[a] !== ev.bytes[b]) return false;
  const ha = hashOf(layers, ev, a);
  const hb = hashOf(layers, ev, b);
  return ha !== undefined && hb !== undefined && ha[0] === hb[0] && ha[1] === hb[1];
}

/** The content hash (hi, lo) of a write's body, or undefined when it was not hashed. */
export function hashOf(layers: readonly LayerIndex[], ev: EventTable, i: number): [number, number] | undefined {
  const [l, e] = ev.source(i);
  if (e < 0) return undefined;
  const h = layers[l]!.hash;
  const hi = h[2 * e]!;
  const lo = h[2 * e + 1]!;
  return hi === 0 && lo === 0 ? undefined : [hi, lo];
}

export function sameMetadata(layers: readonly LayerIndex[], ev: EventTable, a: number, b: number): boolean {
  const ea = ev.entry[a]!;
  const eb = ev.entry[b]!;
  if (ea === IMPLIED || eb === IMPLIED) return ea === eb;
  const la = layers[ev.layer[a]!]!;
  const lb = layers[ev.layer[b]!]!;
  return (
    la.mode[ea] === lb.mode[eb] &&
    la.uid[ea] === lb.uid[eb] &&
    la.gid[ea] === lb.gid[eb] &&
    la.mtime[ea] === lb.mtime[eb] &&
    sameLink(la, ea, lb, eb)
  );
}

function sameLink(la: LayerIndex, ea: number, lb: LayerIndex, eb: number): boolean {
  const ia = la.link[ea]!;
  const ib = lb.link[eb]!;
  if (ia < 0 || ib < 0) return ia === ib;
  const sa = la.strings.offsets[ia]!;
  const sb = lb.strings.offsets[ib]!;
  const len = la.strings.offsets[ia + 1]! - sa;
  if (lb.strings.offsets[ib + 1]! - sb !== len) return false;
  for (let k = 0; k < len; k++) if (la.strings.bytes[sa + k] !== lb.strings.bytes[sb + k]) return false;
  return true;
}
