// One engine query as React state, typed by its kind: asked again when the query or the data
// version changes; a superseded query is aborted (dropped in the client, and in the worker if it
// has not started). The last answer stays while a new one is on its way (`busy`), so a zoomed
// treemap does not flash empty between maps; `answered` says which query `data` (or `error`)
// answers. The size view's bounded answers are kept by the page (answer-cache.ts): asked once per
// query and data version, then read in the first render.
import { useEffect, useState } from 'react';
import { isAbort, messageOf, queryEngine } from '../store/engine';
import { answerKey, keepAnswer, keptAnswer, type KeptAnswer } from './answer-cache';
import type { EngineAnswers, QueryKind, QueryOf } from '../workers/protocol';

export type QueryArgs<K extends QueryKind> = Omit<QueryOf<K>, 'kind'>;

export interface QueryState<K extends QueryKind> {
  data: EngineAnswers[K] | undefined;
  /** The query `data` or `error` answers (never both), null before the first answer. */
  answered: QueryOf<K> | null;
  error: string | null;
  busy: boolean;
}

/** `args` null: nothing to ask yet. `version`: dataVersionOf the image the query is about. */
export function useEngineQuery<K extends QueryKind>(kind: K, args: QueryArgs<K> | null, version: number): QueryState<K> {
  const key = args ? JSON.stringify({ ...args, kind }) : null;
  const cacheKey = answerKey(kind, key, version);
  const hit = keptAnswer<K>(cacheKey);
  const [state, setState] = useState<QueryState<K>>(() => (hit ? settled(hit) : { data: undefined, answered: null, error: null, busy: false }));
  useEffect(() => {
    if (!key) return;
    // Kept: shown from memory in render; the state follows (no update when it already holds it).
    const stored = keptAnswer<K>(cacheKey);
    if (stored) {
      setState((s) => (s.data === stored.data && s.answered === stored.query ? s : settled(stored)));
      return;
    }
    // The key is this query, serialised by the line above: the query itself, never a guess.
    const query = JSON.parse(key) as QueryOf<K>;
    const controller = new AbortController();
    setState((s) => ({ ...s, busy: true }));
    queryEngine(query, controller.signal)
      .then((data) => {
        keepAnswer(cacheKey, { query, data });
        setState({ data, answered: query, error: null, busy: false });
      })
      .catch((e: unknown) => {
        if (!isAbort(e)) setState({ data: undefined, answered: query, error: messageOf(e), busy: false });
      });
    return () => controller.abort();
  }, [key, version, cacheKey]);
  return hit ? settled(hit) : state;
}

function settled<K extends QueryKind>(a: KeptAnswer<K>): QueryState<K> {
  return { data: a.data, answered: a.query, error: null, busy: false };
}
