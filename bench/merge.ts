// Merge benchmark: a synthetic 1,000,000-entry layer, then a second layer that removes 100
// directories by whiteout, hides 20 by opaque markers and rewrites 50,000 files (half with the
// same bytes). Prints build, merge and analysis times and memory. Run:
//   npx tsx bench/merge.ts                        (heap figures without a forced GC)
//   node --expose-gc --import tsx bench/merge.ts  (adds the retained heap after GC)
// Figures only; nothing here passes or fails.

import { EntryKind } from '../src/core/types';
import { LayerIndexBuilder, type LayerIndex } from '../src/core/index/layer-index';
import { FINAL, formatLs, mergeLayers } from '../src/core/merge';
import { diveAnalysis } from '../src/core/analysis/dive';
import { reclaimable } from '../src/core/analysis/reclaimable';

const DIRS = 1000;
const FILES_PER_DIR = 999; // + 1 directory entry each = 1,000,000 entries
const gc = (globalThis as { gc?: () => void }).gc;

const dir = (d: number) => `usr/share/pkg${String(d).padStart(4, '0')}`;
const file = (d: number, f: number) => `${dir(d)}/file${String(f).padStart(6, '0')}.dat`;

function baseLayer(): LayerIndex {
  const b = new LayerIndexBuilder();
  for (let d = 0; d < DIRS; d++) {
    b.add({ path: dir(d), kind: EntryKind.dir, mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 1 });
    for (let f = 0; f < FILES_PER_DIR; f++) {
      const i = b.add({ path: file(d, f), kind: EntryKind.file, mode: 0o644, uid: 0, gid: 0, size: 100 + f, mtime: 1 });
      b.setHash(i, d, f + 1);
    }
  }
  return b.finish();
}

function upperLayer(): LayerIndex {
  const b = new LayerIndexBuilder();
  for (let d = 0; d < 100; d++) b.add({ path: dir(d * 10), kind: EntryKind.whiteout, mode: 0, uid: 0, gid: 0, size: 0, mtime: 2 });
  for (let d = 0; d < 20; d++) {
    b.add({ path: dir(d * 10 + 1), kind: EntryKind.dir, mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 2 });
    b.add({ path: dir(d * 10 + 1), kind: EntryKind.opaque, mode: 0, uid: 0, gid: 0, size: 0, mtime: 2 });
  }
  for (let k = 0; k < 50_000; k++) {
    const d = 2 + 10 * (k % 99);
    const f = Math.floor(k / 99);
    const i = b.add({ path: file(d, f), kind: EntryKind.file, mode: 0o755, uid: 0, gid: 0, size: 100 + f, mtime: 2 });
    b.setHash(i, k % 2 === 0 ? d : 0xffff, f + 1);
  }
  return b.finish();
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function time<T>(label: string, fn: () => T): T {
  const t = performance.now();
  const result = fn();
  console.log(`${label.padEnd(34)} ${(performance.now() - t).toFixed(0).padStart(6)} ms`);
  return result;
}

function memory(label: string): void {
  gc?.();
  const m = process.memoryUsage();
  console.log(`${label.padEnd(34)} rss ${mib(m.rss)}, heap ${mib(m.heapUsed)}, array buffers ${mib(m.arrayBuffers)}${gc ? ' (after GC)' : ''}`);
}

memory('start');
const base = time('build layer 0 (1,000,000 entries)', baseLayer);
const upper = time('build layer 1 (50,220 entries)', upperLayer);
memory('layer indexes built');
const merged = time('mergeLayers', () => mergeLayers([base, upper]));
memory('merged');
console.log(`nodes ${merged.nodeCount}, events ${merged.events.count}, table ${mib(merged.nodes.byteLength())}, events ${mib(merged.events.byteLength())}`);
const counts = merged.changeCounts(1);
console.log(`layer 1: ${JSON.stringify(counts)}`);
time('diveAnalysis', () => diveAnalysis(merged));
const r = time('reclaimable', () => reclaimable(merged));
console.log(`reclaimable ${r.totalBytes} bytes ${JSON.stringify(r.byReason)}`);
let listed = 0;
time('listAll(final) with sorting', () => { for (const _ of merged.listAll(FINAL)) listed++; });
console.log(`visible entries ${listed}`);
let chars = 0;
time('formatLs(final), all lines', () => { for (const line of formatLs(merged)) chars += line.length + 1; });
console.log(`--ls output ${mib(chars)}`);
time('childrenOf(root dir, final, size)', () => merged.childrenOf(merged.findPath('usr/share'), FINAL, 'size'));
memory('after analyses');
console.log(`peak rss ${mib(process.resourceUsage().maxRSS * 1024)}`);
