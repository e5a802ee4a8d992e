// Printing: the figures table, the interactive steps and the stage profile.

import type { StepResult } from './interactions';
import type { ProfileReport } from './page/profile-protocol';

export interface Row {
  workload: string;
  encoding: string;
  /** Whether the engine checked digests (sha256 of blobs and tars) in this row. */
  verify: boolean;
  oursSeconds: number;
  /** Native with sha256sum when `verify`, listing only otherwise. */
  nativeSeconds: number;
  ratio: number;
  /** Uncompressed layer MB per second of ours. */
  mbPerSecond: number;
  graphMs: number;
  /** Until the last 'layer' event: every layer indexed (merge and analyses come after). */
  indexMs: number;
  /** First 'analysis' event: merged tree explorable (the quick header pass when layers are uncompressed). */
  explorableMs: number;
  peakHeapMB: number;
  /** RSS of Chromium's renderer processes (the page and its workers). */
  peakProcessMB: number;
  peakChromiumMB: number;
  nativeListSeconds: number;
  /** CPU seconds (user + sys): Chromium's renderers for ours, bash's waited-for children natively. */
  oursCpuSeconds: number;
  nativeCpuSeconds: number;
  nativeListCpuSeconds: number;
  medians: { oursSeconds: number; nativeSeconds: number; nativeListSeconds: number; graphMs: number };
  uncompressedMB: number;
  files: number;
}

function table(head: string[], body: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

export function printRows(rows: Row[], runs: number): void {
  console.log(`\nFigures (best of ${runs} run${runs > 1 ? 's' : ''}, medians in --json; verify yes: native = gzip/zstd + tar -t + sha256sum of blob and tar; verify no: native = listing only):`);
  console.log(table(
    ['workload', 'encoding', 'verify', 'ours s', 'native s', 'ours/native', 'ours/native list', 'ours CPU s', 'native CPU s', 'CPU ratio', 'MB/s', 'graph ms', 'explorable ms', 'indexed ms', 'heap MB', 'renderer MB', 'chromium MB', 'MB', 'files'],
    rows.map((r) => [
      r.workload, r.encoding, r.verify ? 'yes' : 'no', f(r.oursSeconds), f(r.nativeSeconds), f(r.ratio), f(r.oursSeconds / r.nativeListSeconds),
      f(r.oursCpuSeconds, 1), f(r.nativeCpuSeconds, 1), f(r.oursCpuSeconds / r.nativeCpuSeconds),
      f(r.mbPerSecond, 0), f(r.graphMs, 0), f(r.explorableMs, 0), f(r.indexMs, 0), f(r.peakHeapMB, 0), f(r.peakProcessMB, 0), f(r.peakChromiumMB, 0),
      f(r.uncompressedMB, 0), String(r.files),
    ]),
  ));
}

export function printSteps(steps: StepResult[]): void {
  console.log('\nInteractive steps (in-page: event -> first animation frame showing the result; 20 repetitions; CPU per repetition, mean, from /proc per thread, 10 ms ticks):');
  console.log(table(['step', 'p95 ms', 'median ms', 'first ms', 'main CPU ms', 'workers CPU ms'], steps.map((s) => [
    s.step, s.p95Ms === null ? (s.note ?? 'n/a') : f(s.p95Ms, 0), s.medianMs === undefined ? '' : f(s.medianMs, 0), s.firstMs === undefined ? '' : f(s.firstMs, 0),
    s.mainCpuMs === undefined ? '' : f(s.mainCpuMs, 1), s.workerCpuMs === undefined ? '' : f(s.workerCpuMs, 1),
  ])));
}

/** The full app (React, the store, every pane asking) against the bare bench page, on one archive. */
export interface AppVsPage { workload: string; encoding: string; appSeconds: number; pageSeconds: number; ratio: number }

export function printAppVsPage(a: AppVsPage): void {
  console.log(`\nThe app against the bench page on ${a.workload} ${a.encoding} (digests checked): app's progress panel gone after ${f(a.appSeconds)} s, bench page's 'done' after ${f(a.pageSeconds)} s (best of its runs): app/page ${f(a.ratio)} (goal: at most 1.10)`);
}

export function printProfile(what: string, p: ProfileReport): void {
  const mb = p.uncompressedBytes / 1e6;
  let prev = 0;
  const body = p.stages.map((s) => {
    const delta = s.ms - prev;
    prev = s.ms;
    return [s.stage, f(s.ms / 1000), f(delta / 1000), f(mb / (s.ms / 1000), 0)];
  });
  console.log(`stage profile, ${what}: ${f(p.storedBytes / 1e6, 0)} MB stored, ${f(mb, 0)} MB tar, ${p.entries} entries`);
  console.log(table(['stage (cumulative)', 's', '+s', 'MB/s'], body));
  const sha = p.stages.findIndex((s) => s.stage.startsWith('+ sha256'));
  const full = p.stages.at(-1)!.ms;
  if (sha > 0) {
    // As a share of the stage that adds it, applied to the real indexer: robust to a stage that
    // happened to run while the machine was busy elsewhere.
    const withSha = p.stages[sha]!.ms;
    const share = Math.max(0, withSha - p.stages[sha - 1]!.ms) / withSha;
    console.log(`  sha256 (blob + diff_id) is ~${f(100 * share, 0)}% of the indexer's time here: without it ~${f((full * (1 - share)) / 1000)} s instead of ${f(full / 1000)} s`);
  }
  if (p.perLayerMs.length > 1) {
    const total = p.perLayerMs.reduce((a, b) => a + b, 0);
    const max = Math.max(...p.perLayerMs);
    console.log(`  indexLayer per layer: ${p.perLayerMs.map((ms) => f(ms / 1000)).join(' + ')} s; the largest is ${f((100 * max) / total, 0)}% of the work, so layer-level parallelism can shorten the run by at most ${f((100 * (total - max)) / total, 0)}%`);
  }
  if (p.transfers?.length) {
    const ms = p.transfers.reduce((s, t) => s + t.ms, 0);
    const bytes = p.transfers.reduce((s, t) => s + t.bytes, 0);
    console.log(`  posting the LayerResults (index buffers transferred, ${f(bytes / 1e6, 1)} MB): ${f(ms, 1)} ms in all`);
  }
}
