// Answers the page keeps of the bounded whole-image queries (the size view's map, largest lists,
// packages, findings): each is a pure function of its query and the image's data version, a few
// hundred nodes at most. Opening "Why so large" again then renders with its data in the click's
// own task: no round trip to the engine, no empty frame before the map (on the 2 GB bench image
// that round trip and the extra frame were most of the step). Plain module state, outside React
// and the stores: it holds nothing a component subscribes to.
import type { EngineAnswers, QueryKind, QueryOf } from '../workers/protocol';

/** The kinds whose answers are kept: bounded, and the same for the same query and data version. */
const KEPT: ReadonlySet<QueryKind> = new Set<QueryKind>(['sizeMap', 'largest', 'packages', 'findings']);

/** Entries kept; a zoomed treemap adds one per directory, the oldest go first. */
const LIMIT = 48;

export interface KeptAnswer<K extends QueryKind> {
  query: QueryOf<K>;
  data: EngineAnswers[K];
}

const kept = new Map<string, { query: unknown; data: unknown }>();

/** The cache key of a serialised query at a data version, or null for a kind that is not kept. */
export function answerKey(kind: QueryKind, queryKey: string | null, version: number): string | null {
  return queryKey !== null && KEPT.has(kind) ? `${queryKey}#${version}` : null;
}

export function keptAnswer<K extends QueryKind>(key: string | null): KeptAnswer<K> | undefined {
  if (key === null) return undefined;
  const hit = kept.get(key);
  if (hit) {
    // Most recently used last, so the oldest is the first to go.
    kept.delete(key);
    kept.set(key, hit);
  }
  return hit as KeptAnswer<K> | undefined;
}

export function keepAnswer<K extends QueryKind>(key: string | null, answer: KeptAnswer<K>): void {
  if (key === null) return;
  kept.delete(key);
  kept.set(key, answer);
  while (kept.size > LIMIT) kept.delete(kept.keys().next().value!);
}
