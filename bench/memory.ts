// Memory of each thread of the page, read over CDP: the page and every dedicated worker (the
// engine, and the layer workers it starts, which are nested workers) each have their own V8
// isolate, and Runtime.getHeapUsage on a target's session gives that isolate's JS heap and the
// backing stores of its ArrayBuffers (typed arrays, transferred indexes, WASM memories: the zstd
// and hash heaps). Workers are threads of the renderer process, so /proc cannot tell them apart;
// /proc gives the page process as a whole (RSS, PSS, private anonymous memory), and what its
// anonymous memory holds beyond the isolates (code, stacks, Blob and IPC buffers,
// DecompressionStream's zlib, allocator slack) is printed as "other".
//
// Chromium's `performance.measureUserAgentSpecificMemory` would need a cross-origin-isolated page,
// and it reports only after a GC; CDP answers at once, for every isolate.

import { readdirSync, readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';

/** The page's own renderer process, in MB: RSS, PSS (shared pages split) and private anonymous memory. */
export interface ProcessMemory { rssMB: number; pssMB: number; anonMB: number }

/**
 * Chromium runs three renderers here: its own WebUI (`--top-chrome-webui`), a spare one kept for
 * the next navigation, and the page's. The page's is the one with DedicatedWorker threads (ours
 * are the only workers). Summing all three (as `chromiumRss` does) counts ~230 MB that is not ours.
 */
export function pageProcess(): number | undefined {
  // The newest such process: a previous run's context may still be closing.
  let best: { pid: number; started: number } | undefined;
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const cmd = readFileSync(`/proc/${n}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer') || cmd.includes('--top-chrome-webui')) continue;
      const tasks = readdirSync(`/proc/${n}/task`);
      if (!tasks.some((t) => readFileSync(`/proc/${n}/task/${t}/comm`, 'utf8').startsWith('DedicatedWorker'))) continue;
      // Field 22 of /proc/<pid>/stat (proc(5)): start time in clock ticks after boot.
      const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
      const started = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
      if (!best || started > best.started) best = { pid: Number(n), started };
    } catch {
      // The process or thread exited while we looked.
    }
  }
  return best?.pid;
}

export function processMemory(pid: number): ProcessMemory | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
    return { rssMB: kb('Rss') / 1024, pssMB: kb('Pss') / 1024, anonMB: kb('Anonymous') / 1024 };
  } catch {
    return undefined;
  }
}

export interface ThreadMemory {
  /** 'page', 'engine', 'layer 1', 'layer 2', ... in the order they started. */
  label: string;
  /** Peak of JS heap (committed) + ArrayBuffer backing stores, in bytes. */
  peakBytes: number;
  /** The JS heap and backing stores at that peak. */
  peakHeapBytes: number;
  peakBackingBytes: number;
}

interface Target { label: string; sessionId: string | null; parent: string | null; peak: ThreadMemory; now: number; used?: number; buffers?: number; ended?: true }

/** The page process at its highest RSS, and what the isolates held at that sample. */
export interface ProcessPeak extends ProcessMemory { isolatesMB: number }

interface HeapUsage { usedSize: number; totalSize: number; backingStorageSize?: number }

/**
 * Attaches to every worker of `page` (nested ones too) and samples each isolate every `ms`.
 * Old-style (non-flat) sessions: Playwright's CDPSession has no sessionId parameter, so messages
 * to a worker travel as Target.sendMessageToTarget, wrapped once per level of nesting.
 */
export class ThreadSampler {
  private readonly targets: Target[] = [];
  private readonly bySession = new Map<string, Target>();
  private readonly pending = new Map<number, (r: { result?: unknown; error?: { message: string } }) => void>();
  /** Chunks of the heap snapshot being taken, by session ('' for the page). */
  private readonly chunks = new Map<string, string[]>();
  private nextId = 1;
  private layers = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private sampling = false;
  private pid: number | undefined;
  /** The page process at the sample with the highest RSS. */
  processPeak: ProcessPeak = { rssMB: 0, pssMB: 0, anonMB: 0, isolatesMB: 0 };
  /** The page process before the load (workers started, nothing read). */
  idle: ProcessMemory | undefined;
  /** Called after each sample with every thread's committed heap + buffers now, and the process. */
  onSample: ((threads: { label: string; bytes: number; usedHeap: number; buffers: number }[], process: ProcessMemory | undefined) => void) | undefined;

  private constructor(private readonly cdp: CDPSession) {
    this.targets.push({ label: 'page', sessionId: null, parent: null, peak: empty('page'), now: 0 });
    cdp.on('Target.attachedToTarget', (e) => this.attached(e as AttachedEvent, null));
    cdp.on('Target.receivedMessageFromTarget', (e) => this.received(e as ReceivedEvent));
    cdp.on('Target.detachedFromTarget', (e) => this.detached((e as { sessionId: string }).sessionId));
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => this.chunks.get('')?.push((e as { chunk: string }).chunk));
  }

  /** Labels of the threads attached so far (page, engine, layer 1...). */
  get labels(): string[] {
    return this.targets.map((t) => t.label);
  }

  /**
   * A V8 heap snapshot of one thread (after a GC, as DevTools takes it), as its JSON text: what
   * bench/heap-summary.ts reads to name the big retainers.
   */
  async heapSnapshot(label: string): Promise<string> {
    const t = this.target(label);
    const key = t.sessionId ?? '';
    this.chunks.set(key, []);
    await this.call(t, 'HeapProfiler.enable');
    await this.call(t, 'HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
    const text = this.chunks.get(key)!.join('');
    this.chunks.delete(key);
    return text;
  }

  /** Starts V8's sampling CPU profiler in one thread (every `intervalUs` microseconds). */
  async startProfile(label: string, intervalUs = 200): Promise<void> {
    const t = this.target(label);
    await this.call(t, 'Profiler.enable');
    await this.call(t, 'Profiler.setSamplingInterval', { interval: intervalUs });
    await this.call(t, 'Profiler.start');
  }

  /** Stops that thread's profiler: the profile as DevTools' .cpuprofile JSON text. */
  async stopProfile(label: string): Promise<string> {
    const r = await this.call(this.target(label), 'Profiler.stop') as { profile: unknown };
    return JSON.stringify(r.profile);
  }

  private target(label: string): Target {
    const t = this.targets.find((x) => x.label === label);
    if (!t) throw new Error(`no thread ${label} (have ${this.labels.join(', ')})`);
    return t;
  }

  /** Call before the page starts its workers (before goto, or before the archive is chosen). */
  static async attach(page: Page): Promise<ThreadSampler> {
    const cdp = await page.context().newCDPSession(page);
    const s = new ThreadSampler(cdp);
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return s;
  }

  start(ms = 100): void {
    this.pid = pageProcess();
    this.idle = this.pid === undefined ? undefined : processMemory(this.pid);
    this.timer = setInterval(() => void this.sample(), ms);
  }

  /** Stops sampling (after one last sample) and returns each thread's peak. */
  async stop(): Promise<ThreadMemory[]> {
    clearInterval(this.timer);
    await this.sample();
    return this.targets.map((t) => t.peak);
  }

  /** After a forced GC in every isolate: what the load retains, per thread, in bytes. */
  async retained(): Promise<{ label: string; bytes: number }[]> {
    const out: { label: string; bytes: number }[] = [];
    for (const t of this.targets) {
      if (t.ended) continue;
      await this.call(t, 'HeapProfiler.collectGarbage').catch(() => undefined);
      const u = await this.usage(t);
      if (u) out.push({ label: t.label, bytes: u.usedSize + (u.backingStorageSize ?? 0) });
    }
    return out;
  }

  async detach(): Promise<void> {
    clearInterval(this.timer);
    await this.cdp.detach().catch(() => undefined);
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      await Promise.all(this.targets.map(async (t) => {
        if (t.ended) return;
        const u = await this.usage(t);
        if (!u) return;
        const backing = u.backingStorageSize ?? 0;
        // The heap as committed (totalSize), which is what the process holds, not only the live part.
        const total = u.totalSize + backing;
        t.now = total;
        t.used = u.usedSize;
        t.buffers = backing;
        if (total > t.peak.peakBytes) t.peak = { label: t.label, peakBytes: total, peakHeapBytes: u.totalSize, peakBackingBytes: backing };
      }));
      let p = this.pid === undefined ? undefined : processMemory(this.pid);
      if (!p) {
        this.pid = pageProcess();
        p = this.pid === undefined ? undefined : processMemory(this.pid);
      }
      if (p && p.rssMB > this.processPeak.rssMB) this.processPeak = { ...p, isolatesMB: this.targets.reduce((n, t) => n + t.now, 0) / 1e6 };
      this.onSample?.(this.targets.map((t) => ({ label: t.label, bytes: t.now, usedHeap: t.used ?? 0, buffers: t.buffers ?? 0 })), p);
    } finally {
      this.sampling = false;
    }
  }

  private async usage(t: Target): Promise<HeapUsage | undefined> {
    // A worker that ended (or a load torn down) does not answer: keep its peak as it was.
    const r = await Promise.race([this.call(t, 'Runtime.getHeapUsage'), new Promise<undefined>((res) => setTimeout(res, 2000))]).catch(() => undefined);
    return r as HeapUsage | undefined;
  }

  private call(t: Target, method: string, params: object = {}): Promise<unknown> {
    if (t.sessionId === null) return this.cdp.send(method as 'Runtime.getHeapUsage', params);
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, (r) => (r.error ? reject(new Error(r.error.message)) : resolve(r.result)));
    });
    this.post(t.sessionId, JSON.stringify({ id, method, params }));
    return reply;
  }

  /** Sends `message` to the worker of `sessionId`, wrapped in each session above it. */
  private post(sessionId: string, message: string): void {
    const t = this.bySession.get(sessionId)!;
    if (t.parent === null) {
      void this.cdp.send('Target.sendMessageToTarget', { sessionId, message }).catch(() => undefined);
      return;
    }
    const id = this.nextId++;
    this.post(t.parent, JSON.stringify({ id, method: 'Target.sendMessageToTarget', params: { sessionId, message } }));
  }

  private attached(e: AttachedEvent, parent: string | null): void {
    const url = e.targetInfo.url;
    const label = /engine\.worker/.test(url) ? 'engine' : /layer\.worker/.test(url) ? `layer ${++this.layers}` : url.split('/').pop() || e.targetInfo.type;
    const t: Target = { label, sessionId: e.sessionId, parent, peak: empty(label), now: 0 };
    this.targets.push(t);
    this.bySession.set(e.sessionId, t);
    // The engine starts the layer workers: attach inside it too.
    void this.call(t, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false }).catch(() => undefined);
  }

  /**
   * A worker that ended (the engine ends its idle layer workers after a load): it holds nothing
   * now, and asking it would wait out usage()'s timeout at every sample. Its peak stays.
   */
  private detached(sessionId: string): void {
    const t = this.bySession.get(sessionId);
    if (!t) return;
    t.ended = true;
    t.now = 0;
    t.used = 0;
    t.buffers = 0;
  }

  private received(e: ReceivedEvent): void {
    const m = JSON.parse(e.message) as WireMessage;
    if (m.method === 'Target.attachedToTarget') this.attached(m.params as AttachedEvent, e.sessionId);
    else if (m.method === 'Target.receivedMessageFromTarget') this.received(m.params as ReceivedEvent);
    else if (m.method === 'Target.detachedFromTarget') this.detached((m.params as { sessionId: string }).sessionId);
    else if (m.method === 'HeapProfiler.addHeapSnapshotChunk') this.chunks.get(e.sessionId)?.push((m.params as { chunk: string }).chunk);
    else if (m.id !== undefined) {
      const p = this.pending.get(m.id);
      if (p) { this.pending.delete(m.id); p(m); }
    }
  }
}

interface AttachedEvent { sessionId: string; targetInfo: { type: string; url: string } }
interface ReceivedEvent { sessionId: string; message: string }
interface WireMessage { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } }

function empty(label: string): ThreadMemory {
  return { label, peakBytes: 0, peakHeapBytes: 0, peakBackingBytes: 0 };
}

/** The layer workers summed at each one's peak is an upper bound; printed beside each. */
export function describeThreads(threads: ThreadMemory[]): string {
  return threads.map((t) => `${t.label} ${(t.peakBytes / 1e6).toFixed(0)} MB (heap ${(t.peakHeapBytes / 1e6).toFixed(0)} + buffers ${(t.peakBackingBytes / 1e6).toFixed(0)})`).join(', ');
}
