// The regular files of an image's final filesystem as columns over the merged node table, for
// package attribution and the findings. One row per file: its node, size, layer and content hash
// in typed arrays (22 B a file); a path string is built when asked for and not kept. On a 240k-file
// image the list of objects this replaced (path and hash strings per file) was ~60 MB of the
// engine's live heap during the final analysis, more than the merged image itself.

import { EntryKind } from '../types';
import { FINAL, ROOT, type MergedImage } from '../merge';
import { IntList } from '../merge/int-list';
import type { FinalFileColumns } from '../packages/types';
import type { WasteFileColumns } from '../findings/types';

export class FinalFiles implements FinalFileColumns, WasteFileColumns {
  readonly count: number;
  /** Node of row i in the merged image. */
  readonly node: Int32Array;
  readonly size: Float64Array;
  readonly layer: Uint16Array;
  readonly hashHi: Uint32Array;
  readonly hashLo: Uint32Array;
  private readonly merged: MergedImage;
  /** The directory of the last path built and its path with a trailing slash: rows come by directory. */
  private dir = -1;
  private dirPath = '';
  /** Row of each node, -1 for none: built by the first rowOf. */
  private rows: Int32Array | undefined;

  /**
   * Regular files (and hard links) of the final filesystem, parents before children and siblings
   * by name. A hard link's bytes are its target's, so it is listed with size 0: counting it again
   * would double the target's bytes. Only files with bytes carry a hash.
   */
  constructor(merged: MergedImage) {
    this.merged = merged;
    const { present, curWrite } = merged.state;
    const ev = merged.events;
    const rows = new IntList(4096);
    const writes = new IntList(4096);
    for (const node of merged.listAll(FINAL)) {
      if (!present[node]) continue;
      const w = curWrite[node]!;
      const e = ev.entry[w]!;
      if (e < 0) continue; // an implied directory
      const kind = merged.layers[ev.layer[w]!]!.kind[e]!;
      if (kind !== EntryKind.file && kind !== EntryKind.hardlink) continue;
      rows.push(node);
      writes.push(kind === EntryKind.file ? w : -1 - w);
    }
    const n = rows.length;
    this.count = n;
    this.node = rows.toArray();
    this.size = new Float64Array(n);
    this.layer = new Uint16Array(n);
    this.hashHi = new Uint32Array(n);
    this.hashLo = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const code = writes.at(i);
      const w = code < 0 ? -1 - code : code;
      this.layer[i] = ev.layer[w]!;
      if (code < 0) continue; // a hard link: size 0, no hash
      const size = ev.bytes[w]!;
      this.size[i] = size;
      if (!(size > 0)) continue;
      const [l, e] = ev.source(w);
      if (e < 0) continue;
      const h = merged.layers[l]!.hash;
      this.hashHi[i] = h[2 * e]!;
      this.hashLo[i] = h[2 * e + 1]!;
    }
  }

  /** Row of the file at `path` (as `path(i)` gives it), or -1 when it is not a file of the final filesystem. */
  rowOf(path: string): number {
    const node = this.merged.nodes.find(path);
    if (node < 0) return -1;
    if (!this.rows) {
      this.rows = new Int32Array(this.merged.nodes.count).fill(-1);
      for (let i = 0; i < this.count; i++) this.rows[this.node[i]!] = i;
    }
    return this.rows[node] ?? -1;
  }

  /** Path of row i, built from its directory's (kept for the next row in the same directory). */
  path(i: number): string {
    const nodes = this.merged.nodes;
    const node = this.node[i]!;
    const parent = nodes.parent[node]!;
    if (parent !== this.dir) {
      this.dir = parent;
      this.dirPath = parent === ROOT ? '' : `${nodes.path(parent)}/`;
    }
    return this.dirPath + nodes.name(node);
  }
}
