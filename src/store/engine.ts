// The one engine client of the page. The store talks to it; components never do directly except
// through the query helpers below (windows of rows, details, the report).
import type { Dropped, EngineEvent, EngineQuery, RegistryCredentials } from '../workers/protocol';

/** The surface of `EngineClient` (src/workers/client.ts) the store relies on. */
export interface Engine {
  load(files: Dropped[], opts?: { platform?: string; verify?: boolean }): number;
  loadReference(reference: string, opts?: { platform?: string; verify?: boolean; credentials?: RegistryCredentials }): number;
  cancel(loadId: number): void;
  on(listener: (e: EngineEvent) => void): () => void;
  query<T>(q: EngineQuery): Promise<T>;
}

let engine: Promise<Engine> | null = null;

export function getEngine(): Promise<Engine> {
  // Imported lazily so the page shell renders before the worker module is fetched.
  engine ??= import('../workers/client').then((m): Engine => new m.EngineClient());
  return engine;
}

export async function queryEngine<T>(q: EngineQuery): Promise<T> {
  return (await getEngine()).query<T>(q);
}
