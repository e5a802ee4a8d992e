// The page's handle on the engine worker: load files, cancel, listen, and ask for windows of data.
// Every query is typed by its kind (EngineAnswers) and takes an AbortSignal: an aborted query is
// dropped here at once and, when it has not started yet, in the worker too.

import type { ClientEvent, ContentProgress, Dropped, EngineAnswers, EngineEvent, EngineRequest, QueryKind, QueryOf, RegistryCredentials } from './protocol';

/** What the client needs of a worker: a Worker in the page, one end of a MessageChannel in tests. */
export interface EnginePort {
  postMessage(msg: EngineRequest): void;
  onmessage: ((ev: MessageEvent<EngineEvent>) => void) | null;
}

interface Pending { resolve(v: EngineAnswers[QueryKind]): void; reject(e: unknown): void; onProgress?: (p: ContentProgress) => void }

/** Besides the signal: how far a long query (a file read decoding its layer) is, as it goes. */
export interface QueryOptions { onProgress?: (p: ContentProgress) => void }

export class EngineClient {
  private readonly port: EnginePort;
  private readonly listeners = new Set<(e: ClientEvent) => void>();
  private readonly answers = new Map<number, Pending>();
  private crashed: string | null = null;
  private nextLoad = 1;
  private nextQuery = 1;

  constructor(port?: EnginePort) {
    if (port) this.port = port;
    else {
      const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
      // An uncaught error in the worker, or its module failing to load.
      worker.onerror = (ev) => this.crash(ev.message || 'the engine worker stopped');
      this.port = worker;
    }
    this.port.onmessage = (ev) => this.receive(ev.data);
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

  on(listener: (e: ClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The answer to `query`; rejects with the signal's reason once it aborts (an AbortError by default). */
  query<K extends QueryKind>(query: QueryOf<K>, signal?: AbortSignal, opts: QueryOptions = {}): Promise<EngineAnswers[K]> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.crashed !== null) return Promise.reject(new Error(`the engine stopped: ${this.crashed}`));
    const queryId = this.nextQuery++;
    return new Promise<EngineAnswers[K]>((resolve, reject) => {
      const onAbort = () => {
        this.answers.delete(queryId);
        this.send({ type: 'cancelQuery', queryId });
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.answers.set(queryId, {
        // The worker answers `queryId` with the answer to this query's kind (Session.answer).
        resolve: (v) => { done(); resolve(v as EngineAnswers[K]); },
        reject: (e) => { done(); reject(e); },
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      this.send({ type: 'query', queryId, query });
    });
  }

  private send(msg: EngineRequest): void {
    this.port.postMessage(msg);
  }

  private receive(e: EngineEvent): void {
    if (e.type === 'queryProgress') {
      this.answers.get(e.queryId)?.onProgress?.(e.progress);
      return;
    }
    if (e.type === 'answer') {
      const a = this.answers.get(e.queryId);
      this.answers.delete(e.queryId);
      if ('error' in e) a?.reject(new Error(e.error));
      else a?.resolve(e.answer);
      return;
    }
    this.emit(e);
  }

  private crash(message: string): void {
    this.crashed = message;
    for (const a of this.answers.values()) a.reject(new Error(`the engine stopped: ${message}`));
    this.answers.clear();
    this.emit({ type: 'crashed', message });
  }

  private emit(e: ClientEvent): void {
    for (const l of this.listeners) l(e);
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('the query was cancelled', 'AbortError');
}
