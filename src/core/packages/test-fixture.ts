// A tiny image model for tests: layers of writes and deletions, merged the way the OCI image-spec
// applies changesets (last write wins, deletions hide lower files). It hands out the final files,
// the captures the indexer would keep (decided by `shouldCapture`) and the removed/overwritten
// records the merge reports. Pure TS so core tests and findings tests can share it.

import { shouldCapture } from './capture';
import type { CapturedFile, FinalFile } from './types';

interface Written { size: number; bytes?: Uint8Array; hash?: string }

export interface FixtureFile extends FinalFile { hash?: string }
export interface FixtureRemoval { path: string; size: number; layer: number; removedBy: number }

const encoder = new TextEncoder();

export class ImageFixture {
  readonly commands: string[] = [];
  private layers: { writes: Map<string, Written>; deletes: string[] }[] = [];

  /** Start a new layer made by the Dockerfile step `command`. */
  layer(command: string): this {
    this.commands.push(command);
    this.layers.push({ writes: new Map(), deletes: [] });
    return this;
  }

  /** Write a file of `size` bytes (content not kept), optionally with a content hash. */
  file(path: string, size: number, hash?: string): this {
    this.top().writes.set(path, { size, hash });
    return this;
  }

  /** Write several files given as path -> size. */
  files(sizes: Record<string, number>): this {
    for (const [p, s] of Object.entries(sizes)) this.file(p, s);
    return this;
  }

  /** Write a file with real content (package databases). */
  text(path: string, content: string | Uint8Array): this {
    const bytes = typeof content === 'string' ? encoder.encode(content) : content;
    this.top().writes.set(path, { size: bytes.length, bytes });
    return this;
  }

  remove(path: string): this {
    this.top().deletes.push(path);
    return this;
  }

  private top() {
    const l = this.layers[this.layers.length - 1];
    if (!l) throw new Error('call layer() first');
    return l;
  }

  private merge() {
    const live = new Map<string, Written & { layer: number }>();
    const removed: FixtureRemoval[] = [];
    this.layers.forEach((l, layer) => {
      for (const p of l.deletes) {
        const old = live.get(p);
        if (old) removed.push({ path: p, size: old.size, layer: old.layer, removedBy: layer });
        live.delete(p);
      }
      for (const [p, w] of l.writes) {
        const old = live.get(p);
        if (old) removed.push({ path: p, size: old.size, layer: old.layer, removedBy: layer });
        live.set(p, { ...w, layer });
      }
    });
    return { live, removed };
  }

  finalFiles(): FixtureFile[] {
    return [...this.merge().live].map(([path, w]) => {
      const f: FixtureFile = { path, size: w.size, layer: w.layer };
      if (w.hash) f.hash = w.hash;
      return f;
    });
  }

  removed(): FixtureRemoval[] {
    return this.merge().removed;
  }

  /** What the indexer keeps as layers stream by: every write `shouldCapture` accepts, in layer order. */
  captures(): CapturedFile[] {
    const out: CapturedFile[] = [];
    this.layers.forEach((l, layer) => {
      for (const [path, w] of l.writes) {
        if (w.bytes && shouldCapture(path, w.size)) out.push({ path, layer, bytes: w.bytes });
      }
    });
    return out;
  }
}

export function sum(sizes: Record<string, number>): number {
  return Object.values(sizes).reduce((a, b) => a + b, 0);
}
