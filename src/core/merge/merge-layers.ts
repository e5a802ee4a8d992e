// Apply an image's layers bottom-up into one filesystem, as a container runtime does (OCI
// image-spec, "Representing Changes" / "Applying Changesets"). Each layer is applied in three
// passes so that its whiteouts act only on the lower layers, never on its own entries:
//   1. whiteouts (`.wh.<name>`) remove a path and its subtree; opaque markers (`.wh..wh..opq`)
//      hide what lower layers had in a directory;
//   2. entries are written (last one wins when a path is listed twice), creating parent
//      directories a tar left implicit;
//   3. what was hidden and not written again is recorded as removed, with the bytes that left
//      the view, on the top-most such path.
// Every step touches only the nodes involved: a whiteout walks the visible subtree it hides
// (which the writes that made it visible already paid for), never the stack of lower layers.

import { EntryKind, type Warning } from '../types';
import { entryLink, type LayerIndex } from '../index/layer-index';
import { Change, CLEARS_CHILDREN, CLEARS_SELF, EventTable, IMPLIED } from './events';
import { IntList } from './int-list';
import { MergedImage, type MergeState } from './merged-image';
import { growInt32, growUint8, NodeTable, ROOT } from './node-table';
import { sameContent, sameMetadata } from './entry-compare';
import { decodeUtf8 } from '../utf8';
import { followLinks, linkWarnings, type LinkTally, type LinkView } from './follow-links';

const SLASH = 0x2f;

export function mergeLayers(layers: readonly LayerIndex[]): MergedImage {
  const merger = new Merger(layers);
  for (let l = 0; l < layers.length; l++) merger.applyLayer(l);
  return new MergedImage(merger.finish());
}

class Merger implements LinkView {
  readonly nodes: NodeTable;
  private readonly events: EventTable;
  private present: Uint8Array;
  private kind: Uint8Array;
  private curWrite: Int32Array;
  private lastEvent: Int32Array;
  private clearedIn: Int32Array;
  private stampLayer: Int32Array;
  private stampEntry: Int32Array;
  /** Per-layer scratch: for a removed node, the event that carries the bytes of its removal. */
  private topEvent: Int32Array;
  private topStamp: Int32Array;
  private readonly cleared = new IntList();
  private readonly stack = new IntList();
  private readonly missing = new IntList();
  private readonly entryNode: Int32Array[] = [];
  private readonly superseded: Int32Array[] = [];
  private readonly layerEventStart: Int32Array;
  private layer = 0;
  private index!: LayerIndex;
  private cacheBytes: Uint8Array | undefined;
  private cacheStart = 0;
  private cacheLength = -1;
  private cacheNode = ROOT;
  /** How resolveDir reached its directory: 0 as written, 1 through a symlink, 2 a symlink loop. */
  private crossed = 0;
  private cacheCrossed = 0;
  private tally: LinkTally = { through: 0, looped: 0, first: '', firstLoop: '' };
  readonly warnings: Warning[] = [];

  constructor(private readonly layers: readonly LayerIndex[]) {
    let total = 0;
    for (const l of layers) total += l.count;
    this.nodes = new NodeTable(Math.max(1024, Math.ceil(total * 1.1)));
    this.events = new EventTable(Math.max(1024, total + (total >> 3)));
    const cap = this.nodes.capacity;
    this.present = new Uint8Array(cap);
    this.kind = new Uint8Array(cap);
    this.curWrite = new Int32Array(cap).fill(-1);
    this.lastEvent = new Int32Array(cap).fill(-1);
    this.clearedIn = new Int32Array(cap).fill(-1);
    this.stampLayer = new Int32Array(cap).fill(-1);
    this.stampEntry = new Int32Array(cap);
    this.topEvent = new Int32Array(cap);
    this.topStamp = new Int32Array(cap).fill(-1);
    this.nodes.onGrow = (c) => this.grow(c);
    this.layerEventStart = new Int32Array(layers.length + 1);
    // The root always exists and is a directory.
    this.present[ROOT] = 1;
    this.kind[ROOT] = EntryKind.dir;
  }

  private grow(cap: number): void {
    this.present = growUint8(this.present, cap);
    this.kind = growUint8(this.kind, cap);
    this.curWrite = growInt32(this.curWrite, cap, -1);
    this.lastEvent = growInt32(this.lastEvent, cap, -1);
    this.clearedIn = growInt32(this.clearedIn, cap, -1);
    this.stampLayer = growInt32(this.stampLayer, cap, -1);
    this.stampEntry = growInt32(this.stampEntry, cap, 0);
    this.topEvent = growInt32(this.topEvent, cap, 0);
    this.topStamp = growInt32(this.topStamp, cap, -1);
  }

  applyLayer(l: number): void {
    this.layer = l;
    this.index = this.layers[l]!;
    this.layerEventStart[l] = this.events.count;
    this.cacheBytes = undefined;
    const x = this.index;
    const nodeOf = new Int32Array(x.count);
    this.tally = { through: 0, looped: 0, first: '', firstLoop: '' };
    for (let i = 0; i < x.count; i++) {
      const node = this.resolveEntry(i);
      nodeOf[i] = node;
      const k = x.kind[i]!;
      if (k !== EntryKind.whiteout && k !== EntryKind.opaque) {
        // A symlink written (or replaced) here changes where later entries of this layer go.
        if (k === EntryKind.symlink || this.isSymlink(node)) this.cacheBytes = undefined;
        this.stampLayer[node] = l;
        this.stampEntry[node] = i;
      }
    }
    this.warnings.push(...linkWarnings(l, this.tally));
    this.entryNode.push(nodeOf);
    this.cleared.clear();
    for (let i = 0; i < x.count; i++) {
      const node = nodeOf[i]!;
      if (node === ROOT) continue;
      const k = x.kind[i]!;
      if (k === EntryKind.whiteout) this.clear(node, CLEARS_SELF);
      else if (k === EntryKind.opaque) this.clear(node, CLEARS_CHILDREN);
    }
    this.superseded.push(this.writeEntries(nodeOf));
    this.recordRemovals();
    this.layerEventStart[l + 1] = this.events.count;
  }

  /** Pass 2: write every entry that is the last of its path in this layer. */
  private writeEntries(nodeOf: Int32Array): Int32Array {
    const x = this.index;
    const superseded = new IntList(16);
    for (let i = 0; i < x.count; i++) {
      const node = nodeOf[i]!;
      const k = x.kind[i]!;
      if (node === ROOT || k === EntryKind.whiteout || k === EntryKind.opaque) continue;
      if (this.stampEntry[node] !== i) {
        superseded.push(i);
        continue;
      }
      this.ensureParents(node);
      this.write(node, i);
    }
    // An opaque marker means its directory exists in this layer, listed or not.
    for (let i = 0; i < x.count; i++) {
      const node = nodeOf[i]!;
      if (node === ROOT || x.kind[i] !== EntryKind.opaque || this.present[node]) continue;
      this.ensureParents(node);
      this.writeImplied(node);
    }
    return superseded.toArray();
  }

  /** Resolve entry i's path, reusing the parent of the previous entry (tars list a dir's files together). */
  private resolveEntry(i: number): number {
    const x = this.index;
    const id = x.path[i]!;
    const bytes = x.strings.bytes;
    const s = x.strings.offsets[id]!;
    const e = x.strings.offsets[id + 1]!;
    let slash = e - 1;
    while (slash >= s && bytes[slash] !== 0x2f) slash--;
    if (slash < s) return e > s ? this.nodes.child(ROOT, bytes, s, e, true) : ROOT;
    const len = slash - s;
    let dir: number;
    if (this.cacheBytes === bytes && this.cacheLength === len && sameBytes(bytes, s, this.cacheStart, len)) {
      dir = this.cacheNode;
    } else {
      this.crossed = 0;
      dir = this.resolveDir(bytes, s, slash);
      this.cacheBytes = bytes;
      this.cacheStart = s;
      this.cacheLength = len;
      this.cacheNode = dir;
      this.cacheCrossed = this.crossed;
    }
    if (this.cacheCrossed === 1) this.tally.through++;
    else if (this.cacheCrossed === 2) this.tally.looped++;
    return slash + 1 < e ? this.nodes.child(dir, bytes, slash + 1, e, true) : dir;
  }

  /**
   * The directory `bytes[s, end)` names, found through the image's own symlinks (follow-links.ts):
   * component by component, switching to the slow path at the first symlink.
   */
  private resolveDir(bytes: Uint8Array, s: number, end: number): number {
    let node = ROOT;
    for (let c = s; c < end; ) {
      let e = c;
      while (e < end && bytes[e] !== SLASH) e++;
      if (e > c) {
        node = this.nodes.child(node, bytes, c, e, true);
        if (this.isSymlink(node)) return this.throughLink(node, bytes, s, e, end);
      }
      c = e + 1;
    }
    return node;
  }

  private throughLink(link: number, bytes: Uint8Array, s: number, linkEnd: number, end: number): number {
    const rest = linkEnd + 1 < end ? decodeUtf8(bytes, linkEnd + 1, end) : '';
    const dir = followLinks(this, link, rest);
    const t = this.tally;
    const lexical = decodeUtf8(bytes, s, end);
    if (dir < 0) {
      // The kernel would fail with ELOOP (containers/storage then refuses the layer): keep the
      // entry at its path as written, which replaces the symlink with a directory.
      if (t.looped === 0) t.firstLoop = lexical;
      this.crossed = 2;
      return this.nodes.resolve(bytes, s, end, true);
    }
    if (t.through === 0) t.first = `${lexical}/ is ${this.nodes.path(dir) || '/'}`;
    this.crossed = 1;
    return dir;
  }

  /** LinkView: a symlink as of the entries applied so far (lower layers, then this layer's). */
  isSymlink(node: number): boolean {
    if (this.stampLayer[node] === this.layer) return this.index.kind[this.stampEntry[node]!] === EntryKind.symlink;
    return this.present[node] === 1 && this.kind[node] === EntryKind.symlink;
  }

  targetOf(node: number): string {
    if (this.stampLayer[node] === this.layer) return entryLink(this.index, this.stampEntry[node]!) ?? '';
    const w = this.curWrite[node]!;
    const e = this.events.entry[w]!;
    return e < 0 ? '' : entryLink(this.layers[this.events.layer[w]!]!, e) ?? '';
  }

  /** The node's event row for the current layer, created on first use. */
  private eventFor(node: number): number {
    const last = this.lastEvent[node]!;
    if (last >= 0 && this.events.layer[last] === this.layer) return last;
    const ev = this.events.append(node, this.layer, last);
    this.lastEvent[node] = ev;
    return ev;
  }

  /** Pass 1: hide `node` (CLEARS_SELF) or its children (CLEARS_CHILDREN). Absent paths: no-op. */
  private clear(node: number, how: number): void {
    if (!this.present[node]) return;
    const ev = this.eventFor(node);
    this.events.flags[ev]! |= how;
    if (how === CLEARS_SELF) {
      this.events.change[ev] = Change.removed;
      this.hideSubtree(node);
    } else {
      if (!(this.events.flags[ev]! & CLEARS_SELF)) this.events.change[ev] = Change.meta;
      for (let c = this.nodes.firstChild[node]!; c >= 0; c = this.nodes.nextSibling[c]!) this.hideSubtree(c);
    }
  }

  private hideSubtree(root: number): void {
    const stack = this.stack;
    stack.clear();
    stack.push(root);
    while (stack.length > 0) {
      const n = stack.pop();
      // A hidden node has no visible descendants: the walk stops there.
      if (!this.present[n]) continue;
      this.present[n] = 0;
      this.clearedIn[n] = this.layer;
      this.cleared.push(n);
      for (let c = this.nodes.firstChild[n]!; c >= 0; c = this.nodes.nextSibling[c]!) stack.push(c);
    }
  }

  /** Parents a tar left implicit are created by the runtime; a file in the way becomes a dir. */
  private ensureParents(node: number): void {
    // A loop, not recursion: a path may be 200,000 directories deep (node-tar's
    // excessively-deep.tar). Find the highest ancestor that is not a visible directory, then
    // create the missing ones top-down.
    const missing = this.missing;
    missing.clear();
    for (let p = this.nodes.parent[node]!; p !== ROOT && !(this.present[p] && this.kind[p] === EntryKind.dir); p = this.nodes.parent[p]!) {
      missing.push(p);
    }
    while (missing.length > 0) this.writeImplied(missing.pop());
  }

  private previousWrite(node: number): number {
    const visibleBefore = this.present[node] === 1 || this.clearedIn[node] === this.layer;
    return visibleBefore ? this.curWrite[node]! : -1;
  }

  private writeImplied(node: number): void {
    const prev = this.previousWrite(node);
    const ev = this.eventFor(node);
    const ex = this.events;
    ex.entry[ev] = IMPLIED;
    ex.bytes[ev] = 0;
    ex.change[ev] = prev < 0 ? Change.added : this.kind[node] === EntryKind.dir ? Change.unchanged : Change.modified;
    this.setVisible(node, ev, EntryKind.dir);
  }

  private write(node: number, i: number): void {
    const x = this.index;
    const k = x.kind[i]! as EntryKind;
    const prev = this.previousWrite(node);
    // A non-directory written over a directory: the runtime removes the directory first.
    if (this.present[node] && this.kind[node] === EntryKind.dir && k !== EntryKind.dir) {
      this.clear(node, CLEARS_CHILDREN);
    }
    const ev = this.eventFor(node);
    const ex = this.events;
    ex.entry[ev] = i;
    ex.bytes[ev] = k === EntryKind.file ? x.size[i]! : 0;
    if (k === EntryKind.hardlink) this.resolveHardLink(ev, i);
    ex.change[ev] = prev < 0 ? Change.added : this.compare(prev, ev);
    this.setVisible(node, ev, k);
  }

  private setVisible(node: number, ev: number, k: number): void {
    this.curWrite[node] = ev;
    this.present[node] = 1;
    this.kind[node] = k;
  }

  /** A hard link shares its target's body: take the target's size and the entry holding its bytes. */
  private resolveHardLink(ev: number, i: number): void {
    const x = this.index;
    const linkId = x.link[i]!;
    if (linkId < 0) return;
    const target = this.nodes.resolveString(x.strings, linkId, false);
    if (target < 0 || !this.present[target]) return;
    const tw = this.curWrite[target]!;
    if (tw < 0 || this.events.entry[tw]! < 0) return;
    const [sl, se] = this.events.source(tw);
    this.events.setSource(ev, sl, se);
    this.events.bytes[ev] = this.events.bytes[tw]!;
  }

  private compare(prev: number, ev: number): Change {
    if (!sameContent(this.layers, this.events, prev, ev)) return Change.modified;
    return sameMetadata(this.layers, this.events, prev, ev) ? Change.unchanged : Change.meta;
  }

  /** Pass 3: the top-most hidden paths not written again carry the bytes that left the view. */
  private recordRemovals(): void {
    const ex = this.events;
    const l = this.layer;
    const gone = (n: number) => this.clearedIn[n] === l && !this.present[n];
    // Several whiteouts may nest, so the list is not one preorder: find the tops first...
    for (let j = 0; j < this.cleared.length; j++) {
      const n = this.cleared.at(j);
      if (!gone(n) || gone(this.nodes.parent[n]!)) continue;
      const top = this.eventFor(n);
      ex.change[top] = Change.removed;
      ex.bytes[top] = 0;
      this.topEvent[n] = top;
      this.topStamp[n] = l;
    }
    // ...then give each hidden file's bytes to its top (path-compressed walk up).
    for (let j = 0; j < this.cleared.length; j++) {
      const n = this.cleared.at(j);
      if (!gone(n)) continue;
      const top = this.topOf(n);
      if (this.kind[n] === EntryKind.file) ex.bytes[top]! += ex.bytes[this.curWrite[n]!]!;
    }
  }

  private topOf(n: number): number {
    const l = this.layer;
    let a = n;
    while (this.topStamp[a] !== l) a = this.nodes.parent[a]!;
    const top = this.topEvent[a]!;
    for (let b = n; this.topStamp[b] !== l; b = this.nodes.parent[b]!) {
      this.topEvent[b] = top;
      this.topStamp[b] = l;
    }
    return top;
  }

  finish(): MergeState {
    // The table outlives the merge: its grow hook would keep this merger's per-layer scratch
    // columns (clearedIn, stamps, topEvent: 20 bytes a node) alive as long as the image is shown.
    this.nodes.onGrow = undefined;
    // Sized for every entry of every layer (plus a tenth): what was not used is given back.
    this.nodes.compact();
    this.events.compact();
    const n = this.nodes.count;
    return {
      layers: this.layers,
      nodes: this.nodes,
      events: this.events,
      present: this.present.slice(0, n),
      kind: this.kind.slice(0, n),
      curWrite: this.curWrite.slice(0, n),
      lastEvent: this.lastEvent.slice(0, n),
      entryNode: this.entryNode,
      superseded: this.superseded,
      layerEventStart: this.layerEventStart,
      warnings: this.warnings,
    };
  }
}

function sameBytes(bytes: Uint8Array, a: number, b: number, len: number): boolean {
  if (a === b) return true;
  for (let i = 0; i < len; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}
