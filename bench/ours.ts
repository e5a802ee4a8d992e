// Runs the real pipeline in the bench page: a fresh browser context per run (fresh workers), the
// archive given to a real <input type=file>, and the page's timestamps read back when 'done' fires.

import type { Browser, Page } from 'playwright-core';
import { cpuSecondsBetween, rendererCpu, sampleRss } from './browser';
import { ThreadSampler, type ProcessMemory, type ProcessPeak, type ThreadMemory } from './memory';
import type { BenchWindow, PipelineRun } from './page/main';
import type { ProfileReport } from './page/profile-protocol';

export interface OursResult {
  seconds: number;
  /** CPU time of the renderer processes (page + workers) during the run. */
  cpuSeconds: number;
  graphMs: number;
  summaryMs: number;
  lastLayerMs: number;
  analysisMs: number;
  /** First 'analysis' event: the tree is explorable (the quick pass, for uncompressed layers). */
  firstAnalysisMs: number;
  peakHeapMB: number;
  peakRendererMB: number;
  peakChromiumMB: number;
  files: number;
  uncompressedBytes: number;
  verification: string[];
  warnings: string[];
  /** Peak of each thread (page, engine, layer workers), from CDP (bench/memory.ts). */
  threads: ThreadMemory[];
  /** Bytes each thread holds after the load and a forced GC, minus what it held before the load. */
  retained: { label: string; bytes: number }[];
  /** The page's own renderer process at its highest RSS, and before the load. */
  pageProcess: ProcessPeak;
  pageProcessIdle?: ProcessMemory;
  /** Milliseconds to the first 'partial' or 'analysis' event: a tree the page can show. */
  firstTreeMs: number;
}

async function withPage<T>(browser: Browser, url: string, fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log: string[] = [];
  page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
  try {
    await page.goto(url);
    const r = await fn(page);
    for (const l of log) if (l.includes('T:')) console.log(l);
    return r;
  } catch (e) {
    if (log.length) console.error(log.slice(-20).join('\n'));
    throw e;
  } finally {
    await context.close();
  }
}

export async function runOurs(browser: Browser, url: string, archive: string, timeoutMs: number, verify = true): Promise<OursResult> {
  // `?noverify`: the page loads with the engine's verify: false (no sha256 of blobs and tars).
  return withPage(browser, verify ? url : `${url}${url.includes('?') ? '&' : '?'}noverify`, async (page) => {
    const threads = await ThreadSampler.attach(page);
    const before = await threads.retained();
    threads.start();
    const stop = sampleRss();
    const cpu0 = rendererCpu();
    await page.locator('#archive').setInputFiles(archive);
    await page.waitForFunction(() => (window as unknown as { __bench: BenchWindow }).__bench.run?.state !== 'running', undefined, { timeout: timeoutMs, polling: 50 });
    const peak = stop();
    const peaks = await threads.stop();
    const after = await threads.retained();
    await threads.detach();
    const cpuSeconds = cpuSecondsBetween(cpu0, rendererCpu());
    const run = await page.evaluate(() => (window as unknown as { __bench: BenchWindow }).__bench.run) as PipelineRun;
    if (run.state === 'error') throw new Error(`pipeline failed on ${archive}: ${run.errors.join('; ')}`);
    return {
      seconds: (run.doneMs ?? 0) / 1000,
      cpuSeconds,
      graphMs: run.graphFrameMs ?? run.summaryMs ?? NaN,
      summaryMs: run.summaryMs ?? NaN,
      lastLayerMs: Math.max(...run.layerMs),
      analysisMs: Math.max(...run.analysisMs),
      firstAnalysisMs: Math.min(...run.analysisMs),
      peakHeapMB: run.peakHeapBytes / 1e6,
      peakRendererMB: peak.rendererMB,
      peakChromiumMB: peak.totalMB,
      files: run.layers.reduce((n, l) => n + l.files, 0),
      uncompressedBytes: run.layers.reduce((n, l) => n + l.uncompressedSize, 0),
      verification: run.layers.map((l) => l.verification),
      warnings: run.warnings,
      threads: peaks,
      pageProcess: threads.processPeak,
      ...(threads.idle ? { pageProcessIdle: threads.idle } : {}),
      retained: after.map((a) => ({ label: a.label, bytes: a.bytes - (before.find((b) => b.label === a.label)?.bytes ?? 0) })),
      firstTreeMs: Math.min(...run.analysisMs, ...run.partialMs),
    };
  });
}

export async function runProfile(browser: Browser, url: string, layers: string[], passes: number, timeoutMs: number): Promise<ProfileReport> {
  return withPage(browser, url, async (page) => {
    await page.evaluate((n) => { (window as unknown as { __benchPasses: number }).__benchPasses = n; }, passes);
    await page.locator('#layers').setInputFiles(layers);
    await page.waitForFunction(() => (window as unknown as { __bench: BenchWindow }).__bench.profile !== undefined, undefined, { timeout: timeoutMs, polling: 100 });
    const r = await page.evaluate(() => (window as unknown as { __bench: BenchWindow }).__bench.profile);
    if (!r || 'error' in r) throw new Error(`profile failed: ${r?.error}`);
    return r;
  });
}
