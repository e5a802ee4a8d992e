// The page's handle on the engine worker: load files, cancel, listen, and ask for windows of data.

import type { Dropped, EngineEvent, EngineQuery, EngineRequest, RegistryCredentials } from './protocol';

export class EngineClient {
  private readonly worker: Worker;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly answers = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextLoad = 1;
  private nextQuery = 1;

  constructor() {
    this.worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<EngineEvent>) => this.receive(ev.data);
    this.worker.onerror = (ev) => {
      for (const l of this.listeners) l({ type: 'error', loadId: this.nextLoad - 1, message: `engine failed: ${ev.message}` });
    };
  }

  load(files: Dropped[], opts: { platform?: string; verify?: boolean } = {}): number {
    const loadId = this.nextLoad++;
    this.send({
      type: 'load', loadId, files, names: files.map((f) => f.name),
      ...(opts.platform ? { platform: opts.platform } : {}),
      ...(opts.verify === false ? { verify: false } : {}),
    });
    return loadId;
  }

  loadReference(reference: string, opts: { platform?: string; verify?: boolean; credentials?: RegistryCredentials } = {}): number {
    const loadId = this.nextLoad++;
    this.send({
      type: 'loadReference', loadId, reference,
      ...(opts.platform ? { platform: opts.platform } : {}),
      ...(opts.verify === false ? { verify: false } : {}),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
    });
    return loadId;
  }

  cancel(loadId: number): void {
    this.send({ type: 'cancel', loadId });
  }

  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  query<T>(query: EngineQuery): Promise<T> {
    const queryId = this.nextQuery++;
    return new Promise<T>((resolve, reject) => {
      this.answers.set(queryId, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ type: 'query', queryId, query });
    });
  }

  private send(msg: EngineRequest): void {
    this.worker.postMessage(msg);
  }

  private receive(e: EngineEvent): void {
    if (e.type === 'answer') {
      const a = this.answers.get(e.queryId);
      this.answers.delete(e.queryId);
      if (e.error) a?.reject(new Error(e.error));
      else a?.resolve(e.answer);
      return;
    }
    for (const l of this.listeners) l(e);
  }
}
