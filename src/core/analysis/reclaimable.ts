// Reclaimable bytes: what the layers store that the final filesystem does not need.
//   overwritten - a copy a later layer replaced with other content;
//   removed     - a copy a later whiteout (or a directory replaced by a file) hid;
//   superseded  - a copy listed again later in the same layer tar (the later entry wins);
//   rewrite     - the same content written again at the same path (`chmod`, `chown`, `touch`,
//                 a reinstall): the first copy is kept, every later identical copy is counted,
//                 against the layer that wrote it, which is the step to change.
// The copy a container sees is never counted, and each hidden copy is counted once, where it is
// stored. How this differs from dive's "wasted bytes" (see dive.ts): dive counts every copy of a
// path that appears in two or more layers, the visible copy included, and whiteouts and
// directories by dive's own rules; so a file added then chmod'ed is "wasted" twice over in dive
// (both copies) but reclaimable once here (the chmod copy), a file deleted in the layer after the
// one that wrote it is 0 wasted bytes for a file whiteout in dive but its full size here, and
// hard links and opaque directories are counted as a runtime applies them. Content identity needs
// the indexer's hashes: unhashed copies are never taken for identical (their lower copy counts as
// overwritten instead).

import { EntryKind } from '../types';
import type { ChangeName, MergedImage } from '../merge';
import { sameContent, writeKind } from '../merge/entry-compare';
import { IntList } from '../merge/int-list';
import { NO_WRITE } from '../merge/events';

export const REASONS = ['overwritten', 'removed', 'superseded', 'rewrite'] as const;
export type ReclaimReason = (typeof REASONS)[number];

export interface Reclaimable {
  totalBytes: number;
  /** Reclaimable bytes stored by each layer. */
  byLayer: number[];
  byReason: Record<ReclaimReason, number>;
  /** One row per reclaimable copy (columns; `reason` indexes REASONS). */
  rows: { count: number; node: Int32Array; layer: Int32Array; bytes: Float64Array; reason: Uint8Array };
}

export interface ReclaimableRow {
  path: string;
  layer: number;
  bytes: number;
  reason: ReclaimReason;
}

export function reclaimable(merged: MergedImage): Reclaimable {
  const rows = new RowBuilder();
  const writes = new IntList(16);
  for (let n = 1; n < merged.nodeCount; n++) {
    writes.clear();
    for (let e = merged.state.lastEvent[n]!; e >= 0; e = merged.events.prev[e]!) {
      if (merged.events.entry[e] !== NO_WRITE && writeKind(merged.layers, merged.events, e) === EntryKind.file) writes.push(e);
    }
    if (writes.length > 0) nodeCopies(merged, n, writes, rows);
  }
  merged.state.superseded.forEach((entries, l) => {
    const x = merged.layers[l]!;
    for (const i of entries) {
      if (x.kind[i] === EntryKind.file && x.size[i]! > 0) rows.push(merged.state.entryNode[l]![i]!, l, x.size[i]!, 2);
    }
  });
  return rows.finish(merged.layers.length);
}

/** `writes` holds the node's file writes, newest first. */
function nodeCopies(merged: MergedImage, n: number, writes: IntList, rows: RowBuilder): void {
  const { layers, events } = merged;
  const final = merged.state.present[n] ? merged.state.curWrite[n]! : -1;
  const same = (w: number) => final >= 0 && (w === final || sameContent(layers, events, w, final));
  // The earliest copy of the visible content is the one worth keeping.
  let keep = final;
  for (let j = 0; j < writes.length; j++) if (same(writes.at(j))) keep = writes.at(j);
  for (let j = 0; j < writes.length; j++) {
    const w = writes.at(j);
    if (w === keep || events.bytes[w] === 0) continue;
    // Newest first: a copy with a later write was overwritten, the last one hidden was removed.
    const reason = same(w) ? 3 : j > 0 || final >= 0 ? 0 : 1;
    rows.push(n, events.layer[w]!, events.bytes[w]!, reason);
  }
}

class RowBuilder {
  private node = new IntList();
  private layer = new IntList();
  private reason = new IntList();
  private bytes: number[] = [];

  push(node: number, layer: number, bytes: number, reason: number): void {
    this.node.push(node);
    this.layer.push(layer);
    this.bytes.push(bytes);
    this.reason.push(reason);
  }

  finish(layerCount: number): Reclaimable {
    const count = this.node.length;
    const byLayer = new Array<number>(layerCount).fill(0);
    const byReason = { overwritten: 0, removed: 0, superseded: 0, rewrite: 0 };
    let totalBytes = 0;
    for (let r = 0; r < count; r++) {
      const b = this.bytes[r]!;
      totalBytes += b;
      byLayer[this.layer.at(r)]! += b;
      byReason[REASONS[this.reason.at(r)]!] += b;
    }
    return {
      totalBytes,
      byLayer,
      byReason,
      rows: {
        count,
        node: this.node.toArray(),
        layer: this.layer.toArray(),
        bytes: Float64Array.from(this.bytes),
        reason: Uint8Array.from(this.reason.toArray()),
      },
    };
  }
}

/** The largest reclaimable copies, with paths, optionally of one layer. */
export function topReclaimable(merged: MergedImage, r: Reclaimable, limit: number, layer?: number): ReclaimableRow[] {
  const order: number[] = [];
  for (let i = 0; i < r.rows.count; i++) if (layer === undefined || r.rows.layer[i] === layer) order.push(i);
  order.sort((a, b) => r.rows.bytes[b]! - r.rows.bytes[a]! || r.rows.layer[a]! - r.rows.layer[b]!);
  return order.slice(0, limit).map((i) => ({
    path: merged.path(r.rows.node[i]!),
    layer: r.rows.layer[i]!,
    bytes: r.rows.bytes[i]!,
    reason: REASONS[r.rows.reason[i]!]!,
  }));
}

export interface LayerChangeStats extends Record<ChangeName, number> {
  index: number;
  removedBytes: number;
  reclaimableBytes: number;
}

/** Per layer: how many paths it added, modified, changed metadata of, rewrote, removed; and bytes. */
export function layerChangeStats(merged: MergedImage, r: Reclaimable): LayerChangeStats[] {
  return merged.layers.map((_, index) => ({
    index,
    ...merged.changeCounts(index),
    reclaimableBytes: r.byLayer[index]!,
  }));
}
