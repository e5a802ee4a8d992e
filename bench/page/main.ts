// The benchmark page. `#archive` runs the real pipeline (EngineClient -> engine worker -> pool of
// layer workers) on a real File and records when each event arrives; `#layers` runs the stage
// profile (profile.worker.ts) on layer blobs. Results land on window.__bench for Playwright.

import { EngineClient } from '../../src/workers/client';
import type { ClientEvent } from '../../src/workers/protocol';
import type { ProfileReport, ProfileRequest } from './profile-protocol';

export interface PipelineRun {
  state: 'running' | 'done' | 'error';
  /** ms after the input's change event. */
  summaryMs?: number;
  /** The next animation frame after 'summary': when a graph drawn from it could be on screen. */
  graphFrameMs?: number;
  layerMs: number[];
  analysisMs: number[];
  /** 'partial' events: the tree over the layers indexed so far (a compressed archive's prefix). */
  partialMs: number[];
  doneMs?: number;
  layers: { key: string; files: number; uncompressedSize: number; verification: string }[];
  errors: string[];
  warnings: string[];
  peakHeapBytes: number;
}

export interface BenchWindow {
  run?: PipelineRun;
  profile?: ProfileReport | { error: string };
}

declare global {
  interface Window { __bench: BenchWindow }
}

interface MemoryInfo { usedJSHeapSize: number }
const heap = (): number => (performance as unknown as { memory?: MemoryInfo }).memory?.usedJSHeapSize ?? 0;

window.__bench = {};
const client = new EngineClient();

document.getElementById('archive')!.addEventListener('change', (ev) => {
  const files = [...((ev.target as HTMLInputElement).files ?? [])];
  const t0 = performance.now();
  const run: PipelineRun = { state: 'running', layerMs: [], analysisMs: [], partialMs: [], layers: [], errors: [], warnings: [], peakHeapBytes: heap() };
  window.__bench.run = run;
  const sampler = setInterval(() => { run.peakHeapBytes = Math.max(run.peakHeapBytes, heap()); }, 100);
  let loadId = 0;
  const off = client.on((e: ClientEvent) => {
    if ('loadId' in e && e.loadId !== loadId) return;
    const at = performance.now() - t0;
    if (e.type === 'summary') {
      run.summaryMs ??= at;
      requestAnimationFrame(() => { run.graphFrameMs ??= performance.now() - t0; });
    } else if (e.type === 'layer') {
      run.layerMs.push(at);
      run.layers.push({ key: e.key, files: e.files, uncompressedSize: e.uncompressedSize, verification: e.verification });
    } else if (e.type === 'analysis') (e.analysis.partial ? run.partialMs : run.analysisMs).push(at);
    else if (e.type === 'warning') run.warnings.push(`${e.warning.code}: ${e.warning.message}`);
    else if (e.type === 'error' || e.type === 'crashed') run.errors.push(e.message);
    else if (e.type === 'done') {
      run.doneMs = at;
      run.peakHeapBytes = Math.max(run.peakHeapBytes, heap());
      run.state = run.errors.length ? 'error' : 'done';
      clearInterval(sampler);
      off();
    }
  });
  loadId = client.load(files, { verify: !new URLSearchParams(location.search).has('noverify') });
});

document.getElementById('layers')!.addEventListener('change', (ev) => {
  const files = [...((ev.target as HTMLInputElement).files ?? [])];
  const worker = new Worker(new URL('./profile.worker.ts', import.meta.url), { type: 'module' });
  delete window.__bench.profile;
  worker.onmessage = (m: MessageEvent<ProfileReport | { error: string } | { type: 'transfer'; sentAt: number; bytes: number }>) => {
    const d = m.data;
    if ('error' in d) { window.__bench.profile = d; worker.terminate(); return; }
    if ('type' in d && d.type === 'transfer') {
      // The posted LayerResult arrived: time from postMessage to here (both clocks absolute).
      transfers.push({ ms: performance.timeOrigin + performance.now() - d.sentAt, bytes: d.bytes });
      return;
    }
    window.__bench.profile = { ...(d as ProfileReport), transfers };
    worker.terminate();
  };
  worker.onerror = (e) => { window.__bench.profile = { error: e.message }; };
  const transfers: { ms: number; bytes: number }[] = [];
  const passes = (window as unknown as { __benchPasses?: number }).__benchPasses ?? 1;
  worker.postMessage({ files, passes } satisfies ProfileRequest);
});
