// `npx tsx bench/heap.ts ARCHIVE [--threads page,engine] [--out DIR] [--min-mb 1] [--no-verify] [--dist DIR] [--app DIR]`
// Loads one archive in the bench page (the real EngineClient and workers), samples each thread's
// memory as the bench does, and once the load is done takes a V8 heap snapshot of each named
// thread (after a GC): where what the load keeps is, by constructor and by retainer (dominator
// tree, bench/heap-summary.ts). Snapshots are written to DIR (default a temporary folder) for
// DevTools. With --app DIR (a `vite build --outDir DIR` of the app) the real app is loaded instead
// of the bench page, and the load is done when its progress panel is gone: what React's page keeps.
// With --mid N:MS (bench page only), the engine is also snapshotted MS ms after its N-th layer is
// in: what is live during the final merge and analysis. Prints figures; asserts nothing.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { launchChromium, serve } from './browser';
import { describeThreads, ThreadSampler } from './memory';
import { printHeap, summariseHeap } from './heap-summary';
import type { BenchWindow, PipelineRun } from './page/main';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const archive = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.match(/^--(threads|out|min-mb|dist|app|files|mid)$/));
  if (!archive) throw new Error('usage: bench/heap.ts ARCHIVE [--threads page,engine] [--out DIR] [--min-mb 1] [--no-verify]');
  const opt = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
  const threads = (opt('--threads') ?? 'page,engine').split(',');
  const out = opt('--out') ?? mkdtempSync(path.join(os.tmpdir(), 'strata-heap-'));
  mkdirSync(out, { recursive: true });
  const minBytes = Number(opt('--min-mb') ?? 1) * 1e6;
  const verify = !args.includes('--no-verify');
  // Another build of the bench page (an older commit's, for a before/after in one sitting).
  const app = opt('--app');
  const dist = app ?? opt('--dist') ?? path.join(repo, '.cache', 'bench-dist');

  if (!args.includes('--no-build') && !opt('--dist') && !app) {
    const r = spawnSync('npx', ['vite', 'build', '--config', 'bench/vite.config.ts'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const browser = await launchChromium();
  const bench = await serve(dist);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app ? `${bench.url}?test` : verify ? bench.url : `${bench.url}?noverify`);
    const sampler = await ThreadSampler.attach(page);
    const before = await sampler.retained();
    // A timeline: each thread and the process every second, to see when and where the peak is.
    const t0 = Date.now();
    let lastLine = -Infinity;
    const timeline: string[] = [];
    sampler.onSample = (now, proc) => {
      if (Date.now() - lastLine < 1000) return;
      lastLine = Date.now();
      timeline.push(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${now.map((t) => `${t.label} ${(t.bytes / 1e6).toFixed(0)} (used ${(t.usedHeap / 1e6).toFixed(0)} + buf ${(t.buffers / 1e6).toFixed(0)})`).join(', ')}${proc ? `  | RSS ${proc.rssMB.toFixed(0)} anon ${proc.anonMB.toFixed(0)}` : ''}`);
    };
    sampler.start();
    let run: PipelineRun;
    if (app) {
      await page.getByTestId('open.file-input').setInputFiles(path.resolve(archive));
      await page.getByTestId('layers.row').first().waitFor({ timeout: 60 * 60_000 });
      await page.getByTestId('progress.panel').waitFor({ state: 'detached', timeout: 60 * 60_000 });
      const doneMs = Date.now() - t0;
      run = { state: 'done', doneMs, layerMs: [], analysisMs: [], partialMs: [], layers: [], errors: [], warnings: [], peakHeapBytes: 0 };
    } else {
      await page.locator('#archive').setInputFiles(path.resolve(archive));
      const mid = opt('--mid')?.split(':').map(Number);
      if (mid) {
        await page.waitForFunction((n) => ((window as unknown as { __bench: BenchWindow }).__bench.run?.layerMs.length ?? 0) >= n, mid[0]!, { timeout: 60 * 60_000, polling: 50 });
        await new Promise((r) => setTimeout(r, mid[1]!));
        const text = await sampler.heapSnapshot('engine');
        writeFileSync(path.join(out, 'engine-mid.heapsnapshot'), text);
        printHeap(`engine ${mid[1]} ms after layer ${mid[0]} was in`, summariseHeap(text, { minBytes }));
      }
      await page.waitForFunction(() => (window as unknown as { __bench: BenchWindow }).__bench.run?.state !== 'running', undefined, { timeout: 60 * 60_000, polling: 100 });
      run = await page.evaluate(() => (window as unknown as { __bench: BenchWindow }).__bench.run) as PipelineRun;
    }
    const peaks = await sampler.stop();
    if (run.state === 'error') throw new Error(run.errors.join('; '));
    const files = app ? Number(opt('--files') ?? 0) : run.layers.reduce((n, l) => n + l.files, 0);
    console.log(`${path.basename(archive)}: ${files} files, ${((run.doneMs ?? 0) / 1000).toFixed(1)} s`);
    console.log('timeline (MB: committed heap + buffers of each thread; the page process):');
    for (const l of timeline) console.log(l);
    const at = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(1)).join(' ');
    console.log(`events (s after the file was chosen): summary ${at([run.summaryMs ?? NaN])}, partial ${at(run.partialMs)}, analysis ${at(run.analysisMs)}, layers ${at(run.layerMs)}`);
    console.log(`peaks: ${describeThreads(peaks)}`);
    const p = sampler.processPeak;
    console.log(`page process at its highest RSS: RSS ${p.rssMB.toFixed(0)} MB, PSS ${p.pssMB.toFixed(0)}, anon ${p.anonMB.toFixed(0)} (isolates ${p.isolatesMB.toFixed(0)}), idle anon ${sampler.idle?.anonMB.toFixed(0) ?? 'n/a'}`);
    const after = await sampler.retained();
    for (const a of after) {
      const b = before.find((x) => x.label === a.label)?.bytes ?? 0;
      console.log(`kept by ${a.label}: ${((a.bytes - b) / 1e6).toFixed(1)} MB (${files ? ((a.bytes - b) / files).toFixed(0) : 'n/a'} B/file)`);
    }
    for (const label of threads) {
      const text = await sampler.heapSnapshot(label);
      const file = path.join(out, `${label.replace(/\s+/g, '-')}.heapsnapshot`);
      writeFileSync(file, text);
      const h = summariseHeap(text, { minBytes });
      printHeap(`${label} (${file})`, h);
      console.log(`  = ${files ? (h.totalBytes / files).toFixed(0) : 'n/a'} B per file`);
    }
    await sampler.detach();
    await context.close();
  } finally {
    bench.server.close();
    await browser.close();
  }
}

await main();
