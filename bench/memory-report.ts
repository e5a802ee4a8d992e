// The memory table and the "explorable early" figures: per thread peaks (bench/memory.ts), the
// renderer's RSS, what a load retains per file, and when the first tree appeared.

import type { OursResult } from './ours';

export interface MemoryRow {
  workload: string;
  encoding: string;
  verify: boolean;
  uncompressedMB: number;
  files: number;
  seconds: number;
  /** Peak MB of each thread, by label (page, engine, layer 1..n). */
  threadsMB: Record<string, number>;
  /** The page's renderer process (the page and all its workers) at its highest RSS. */
  pageRssMB: number;
  pagePssMB: number;
  /** Private anonymous memory of that process at that sample, and before the load. */
  pageAnonMB: number;
  idleAnonMB: number;
  /** Anonymous memory the isolates do not account for at that sample (code, stacks, buffers). */
  otherMB: number;
  /** Every renderer Chromium runs (its WebUI and a spare one too): the figure issue 14 quoted. */
  allRenderersMB: number;
  /** What the page and the engine keep after the load (forced GC), per file, in bytes. */
  retainedBytesPerFile: number;
  retainedMB: Record<string, number>;
  /** First tree on screen (quick pass, partial prefix or final analysis) as a share of the load. */
  firstTreeMs: number;
  firstTreeFraction: number;
}

const mb = (b: number) => b / 1e6;

/** One row from the runs of one workload: peaks are the highest of the runs, times the best. */
export function memoryRow(workload: string, encoding: string, verify: boolean, ours: OursResult[]): MemoryRow {
  const threadsMB: Record<string, number> = {};
  for (const o of ours) for (const t of o.threads) threadsMB[t.label] = Math.max(threadsMB[t.label] ?? 0, mb(t.peakBytes));
  const last = ours.at(-1)!;
  const top = ours.reduce((a, b) => (b.pageProcess.rssMB > a.pageProcess.rssMB ? b : a));
  const retainedMB: Record<string, number> = {};
  for (const r of last.retained) retainedMB[r.label] = mb(r.bytes);
  const kept = last.retained.filter((r) => r.label === 'page' || r.label === 'engine').reduce((s, r) => s + r.bytes, 0);
  const best = ours.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    workload, encoding, verify,
    uncompressedMB: mb(last.uncompressedBytes), files: last.files, seconds: best.seconds,
    threadsMB,
    pageRssMB: top.pageProcess.rssMB, pagePssMB: top.pageProcess.pssMB, pageAnonMB: top.pageProcess.anonMB,
    idleAnonMB: top.pageProcessIdle?.anonMB ?? NaN,
    otherMB: Math.max(0, top.pageProcess.anonMB - top.pageProcess.isolatesMB),
    allRenderersMB: Math.max(...ours.map((o) => o.peakRendererMB)),
    retainedBytesPerFile: last.files ? kept / last.files : NaN, retainedMB,
    firstTreeMs: best.firstTreeMs, firstTreeFraction: best.firstTreeMs / (best.seconds * 1000),
  };
}

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

/** One row on one line, printed as each workload ends. */
export function describeRow(r: MemoryRow): string {
  const threads = Object.entries(r.threadsMB).map(([k, v]) => `${k} ${f(v)}`).join(', ');
  return `${f(r.seconds, 1)} s, ${r.files} files; peak MB ${threads}; page RSS ${f(r.pageRssMB)} PSS ${f(r.pagePssMB)} anon ${f(r.pageAnonMB)} other ${f(r.otherMB)}; kept ${f(r.retainedBytesPerFile)} B/file; first tree ${f(r.firstTreeMs / 1000, 1)} s`;
}

export function printMemory(rows: MemoryRow[], load: string): void {
  if (!rows.length) return;
  const labels = [...new Set(rows.flatMap((r) => Object.keys(r.threadsMB)))];
  const head = ['workload', 'encoding', 'verify', 'MB', 'files', 's', 'first tree s', 'first tree %', ...labels.map((l) => `${l} MB`), 'page RSS MB', 'PSS MB', 'anon MB', 'idle anon', 'other MB', 'all renderers MB', 'kept B/file'];
  const body = rows.map((r) => [
    r.workload, r.encoding, r.verify ? 'yes' : 'no', f(r.uncompressedMB), String(r.files), f(r.seconds, 2),
    f(r.firstTreeMs / 1000, 2), f(100 * r.firstTreeFraction),
    ...labels.map((l) => f(r.threadsMB[l] ?? NaN)), f(r.pageRssMB), f(r.pagePssMB), f(r.pageAnonMB), f(r.idleAnonMB), f(r.otherMB), f(r.allRenderersMB), f(r.retainedBytesPerFile),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i < 3 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('  ');
  console.log(`\nMemory per thread (peak of committed JS heap + ArrayBuffers of each isolate, over CDP; threads peak at different times) and explorable early (${load}):`);
  console.log([line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n'));
  console.log('  page RSS/PSS/anon = the renderer process of the page and its workers at its highest RSS (RSS counts the ~110 MB of Chromium\'s shared code pages; PSS splits them; anon = private memory), idle anon = the same before the load;');
  console.log('  other = anon minus the isolates at that moment (code, stacks, Blob/IPC buffers, zlib, allocator); all renderers = every renderer process summed (Chromium\'s WebUI and spare renderers too: issue 14\'s "renderer MB");');
  console.log('  kept B/file = what the page and the engine still hold after the load and a forced GC, per file');
  console.log('  first tree = the first tree the page can show (the quick header pass, a prefix of indexed layers, or the final merge), as a share of the whole load (goal: under 40 %)');
}

/** Time and memory of each workload by size, per encoding (`--huge` runs 0.3, 2 and 10 GB). */
export function printScale(rows: MemoryRow[]): void {
  if (new Set(rows.map((r) => r.workload)).size < 2) return;
  console.log('\nScale (one run each; memory should grow with files, not bytes):');
  const head = ['encoding', 'verify', 'workload', 'GB', 'files', 's', 'first tree s', 'page RSS MB', 'anon MB', 'engine MB', 'layer max MB', 'kept B/file'];
  const body = [...rows].sort((a, b) => a.encoding.localeCompare(b.encoding) || Number(b.verify) - Number(a.verify) || a.uncompressedMB - b.uncompressedMB).map((r) => [
    r.encoding, r.verify ? 'yes' : 'no', r.workload, f(r.uncompressedMB / 1000, 1), String(r.files), f(r.seconds, 1), f(r.firstTreeMs / 1000, 1),
    f(r.pageRssMB), f(r.pageAnonMB), f(r.threadsMB.engine ?? NaN),
    f(Math.max(...Object.entries(r.threadsMB).filter(([k]) => k.startsWith('layer')).map(([, v]) => v))), f(r.retainedBytesPerFile),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i < 3 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('  ');
  console.log([line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n'));
}
