// The one engine client of the page. The load store drives loads; components ask their questions
// through `queryEngine` (usually via useEngineQuery in src/ui), typed by the query's kind.
import type { ClientEvent, ContentProgress, Dropped, EngineAnswers, QueryKind, QueryOf, RegistryCredentials } from '../workers/protocol';

/** The surface of `EngineClient` (src/workers/client.ts) the page relies on. */
export interface Engine {
  load(files: Dropped[], opts?: { platform?: string; verify?: boolean }): number;
  loadReference(reference: string, opts?: { platform?: string; verify?: boolean; credentials?: RegistryCredentials }): number;
  cancel(loadId: number): void;
  on(listener: (e: ClientEvent) => void): () => void;
  query<K extends QueryKind>(q: QueryOf<K>, signal?: AbortSignal, opts?: { onProgress?: (p: ContentProgress) => void }): Promise<EngineAnswers[K]>;
}

let engine: Promise<Engine> | null = null;

export function getEngine(): Promise<Engine> {
  // Imported lazily so the page shell renders before the worker module is fetched.
  engine ??= import('../workers/client').then((m): Engine => new m.EngineClient());
  return engine;
}

/** `onProgress`: how far a long query (a file read that decodes its layer from the start) is. */
export async function queryEngine<K extends QueryKind>(q: QueryOf<K>, signal?: AbortSignal, onProgress?: (p: ContentProgress) => void): Promise<EngineAnswers[K]> {
  return (await getEngine()).query(q, signal, onProgress ? { onProgress } : {});
}

/** A query given up by its caller (its AbortSignal fired): not an error to show. */
export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** An error's message for the page. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
