// A pool of layer workers sized to the machine's cores. Each job is a Blob slice; the pool runs at
// most one job per worker and queues the rest.

import type { LayerResult } from '../core/pipeline/index-layer';
import type { LayerJob, LayerRunner } from '../core/pipeline/read-archive';
import type { LayerWorkerEvent, LayerWorkerRequest } from './layer-protocol';

interface Pending {
  resolve(r: LayerResult): void;
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

  constructor(createWorker: () => Worker, size = defaultPoolSize()) {
    this.size = size;
    for (let i = 0; i < size; i++) {
      const w = createWorker();
      w.onmessage = (ev: MessageEvent<LayerWorkerEvent>) => this.receive(ev.data);
      this.idle.push(w);
    }
  }

  readonly run: LayerRunner = async (job: LayerJob, onProgress, signal) => {
    const worker = await this.acquire();
    const id = this.nextId++;
    try {
      return await new Promise<LayerResult>((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onProgress, worker });
        const onAbort = () => {
          worker.postMessage({ type: 'cancel', id } satisfies LayerWorkerRequest);
          reject(signal?.reason instanceof Error ? signal.reason : new DOMException('cancelled', 'AbortError'));
        };
        if (signal?.aborted) { onAbort(); return; }
        signal?.addEventListener('abort', onAbort, { once: true });
        worker.postMessage({ type: 'index', id, job } satisfies LayerWorkerRequest);
      });
    } finally {
      this.pending.delete(id);
      this.release(worker);
    }
  };

  private receive(e: LayerWorkerEvent): void {
    const p = this.pending.get(e.id);
    if (!p) return;
    if (e.type === 'progress') p.onProgress(e.storedBytes);
    else if (e.type === 'result') p.resolve(e.result);
    else p.reject(new Error(e.message));
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve) => this.waiting.push(() => resolve(this.idle.pop()!)));
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.waiting.shift()?.();
  }
}

/** One layer worker per core, leaving the engine its own; at least one, at most eight. */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(8, cores));
}
