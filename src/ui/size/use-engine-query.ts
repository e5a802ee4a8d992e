// One engine query as React state: re-asked when the query or the data version changes, answers
// to superseded queries dropped. The last answer stays while a new one is on its way (`busy`), so
// a zoomed treemap does not flash empty between maps.
import { useEffect, useState } from 'react';
import { queryEngine } from '../../store/engine';
import type { EngineQuery } from '../../workers/protocol';

export interface QueryState<T> {
  data: T | undefined;
  /** The key of the query `data` answers. */
  key: string | null;
  error: string | null;
  busy: boolean;
}

export function useEngineQuery<T>(query: EngineQuery | null, version: number): QueryState<T> {
  const key = query ? JSON.stringify(query) : null;
  const [state, setState] = useState<QueryState<T>>({ data: undefined, key: null, error: null, busy: false });
  useEffect(() => {
    if (!key) return;
    let live = true;
    setState((s) => ({ ...s, busy: true }));
    queryEngine<T>(JSON.parse(key) as EngineQuery)
      .then((data) => { if (live) setState({ data, key, error: null, busy: false }); })
      .catch((e: unknown) => { if (live) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), busy: false })); });
    return () => { live = false; };
  }, [key, version]);
  return state;
}
