// A pool of layer workers sized to the machine's cores. Each job's source is posted in its portable
// form (a Blob slice is a handle: nothing is copied); the pool runs at most one job per worker and
// queues the rest. When the last job is done and none waits, the idle workers are ended (and
// started again by the next job): an idle worker's isolate keeps its committed heap and its WASM
// memories (zstd's window, the hasher), 40-80 MB each after a 2 GB load, which no GC gives back,
// and the engine's final merge and analysis come right after the last layer job.

import type { LayerResult } from '../core/pipeline/index-layer';
import type { DigestRunner, LayerJob, LayerRunner } from '../core/pipeline/read-archive';
import type { ByteSource, PortableSource } from '../core/source/types';
import type { Digest } from '../core/types';
import type { LayerWorkerEvent, LayerWorkerRequest } from './layer-protocol';

interface Pending {
  resolve(r: unknown): void;
  reject(e: Error): void;
  onProgress(n: number): void;
  worker: Worker;
}

export class LayerPool {
  readonly size: number;
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Workers alive (idle or running a job). */
  private started = 0;

  constructor(private readonly createWorker: () => Worker, size = defaultPoolSize()) {
    this.size = size;
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    const w = this.createWorker();
    w.onmessage = (ev: MessageEvent<LayerWorkerEvent>) => this.receive(ev.data);
    this.started++;
    return w;
  }

  readonly run: LayerRunner = (job: LayerJob, onProgress, signal) => {
    const { source, ...rest } = job;
    return this.send<LayerResult>((id) => ({ type: 'index', id, job: { ...rest, input: portableOf(source, job.key) } }), onProgress, signal);
  };

  readonly digest: DigestRunner = (job: LayerJob, signal) =>
    this.send<Digest>((id) => ({ type: 'digest', id, input: portableOf(job.source, job.key) }), () => {}, signal);

  private async send<T>(request: (id: number) => LayerWorkerRequest, onProgress: (n: number) => void, signal?: AbortSignal): Promise<T> {
    const worker = await this.acquire();
    const id = this.nextId++;
    try {
      return await new Promise<T>((resolve, reject) => {
        this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress, worker });
        const onAbort = () => {
          worker.postMessage({ type: 'cancel', id } satisfies LayerWorkerRequest);
          reject(signal?.reason instanceof Error ? signal.reason : new DOMException('cancelled', 'AbortError'));
        };
        if (signal?.aborted) { onAbort(); return; }
        signal?.addEventListener('abort', onAbort, { once: true });
        worker.postMessage(request(id));
      });
    } finally {
      this.pending.delete(id);
      this.release(worker);
    }
  }

  private receive(e: LayerWorkerEvent): void {
    const p = this.pending.get(e.id);
    if (!p) return;
    if (e.type === 'progress') p.onProgress(e.storedBytes);
    else if (e.type === 'result') p.resolve(e.result);
    else if (e.type === 'digest') p.resolve(e.digest);
    else p.reject(new Error(e.message));
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    if (this.started < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(() => resolve(this.idle.pop()!)));
  }

  private release(w: Worker): void {
    this.idle.push(w);
    const next = this.waiting.shift();
    if (next) next();
    else if (this.pending.size === 0) this.endIdle();
  }

  /** Nothing runs and nothing waits: end the idle workers (synchronously, before the caller's merge). */
  private endIdle(): void {
    for (const w of this.idle) w.terminate();
    this.started -= this.idle.length;
    this.idle.length = 0;
  }
}

function portableOf(source: ByteSource, key: string): PortableSource {
  const p = source.portable?.();
  if (!p) throw new Error(`layer ${key}: its source cannot be posted to a layer worker`);
  return p;
}

function cores(): number {
  return typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
}

/** One layer worker per core, leaving the engine its own; at least one, at most eight. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(8, cores()));
}

/**
 * Whether each uncompressed layer's sha256 runs as a job of its own beside the layer's index job
 * (ReadArchiveOptions.runDigest: two workers share the largest layer, which reads it twice) or
 * inside the index job (one read). On 2 cores the second read cost more than the sharing gained:
 * ml-full docker-save verified in 15.6 s with one read against 16.8 s split, at 7 MB less
 * (bench/README.md, "Quick pass and one read"). With more cores the sharing shortens the largest
 * layer; that side was not measured here (the bench machine has 2).
 */
export function splitDigests(n = cores()): boolean {
  return n > 2;
}
