// Windows of tree rows from the engine, cached in pages outside React state. The tree is never held
// whole: only the pages around what is on screen are asked for. While a new request is on its way the
// previous pages stay on screen, so expanding a directory does not flash an empty list. Pages of a
// request that has been replaced (another view, filter, expansion or data version) are aborted:
// dropped in the client, and skipped by the worker when they have not started.
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { isAbort, messageOf, queryEngine } from '../../store/engine';
import type { TreeRow, TreeRowsRequest } from '../../workers/protocol';

export const PAGE_SIZE = 256;
/** Pages kept per request; the ones farthest from what was last asked for go first. */
const MAX_PAGES = 64;

export type TreeRowsBase = Omit<TreeRowsRequest, 'offset' | 'limit'>;

interface Cache {
  key: string;
  pages: Map<number, TreeRow[]>;
  stale: Map<number, TreeRow[]>;
  pending: Set<number>;
  /** Aborts every page asked for under `key`. */
  controller: AbortController;
  total: number;
  fresh: boolean;
  error: string | null;
  opened: string[] | undefined;
}

export interface TreeRows {
  total: number;
  /** True once the current request has answered at least once. */
  fresh: boolean;
  error: string | null;
  /** The directories the engine opened on the way to the layer's changes (TreeRowsResponse.opened). */
  opened: readonly string[] | undefined;
  row(index: number): TreeRow | undefined;
  ensure(start: number, end: number): void;
  /** Index of a path among the loaded rows, or -1. */
  indexOf(path: string): number;
}

export function useTreeRows(base: TreeRowsBase | null, version: number): TreeRows {
  const key = base ? `${JSON.stringify(base)}#${version}` : '';
  const cache = useRef<Cache>({ key: '', pages: new Map(), stale: new Map(), pending: new Set(), controller: new AbortController(), total: 0, fresh: false, error: null, opened: undefined });
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const baseRef = useRef(base);
  baseRef.current = base;

  const c = cache.current;
  if (c.key !== key) {
    c.stale = c.pages.size > 0 ? c.pages : c.stale;
    c.pages = new Map();
    c.pending = new Set();
    c.controller.abort();
    c.controller = new AbortController();
    c.key = key;
    c.fresh = false;
    c.error = null;
    c.opened = undefined;
  }

  const ensure = useCallback((start: number, end: number) => {
    const b = baseRef.current;
    const cur = cache.current;
    if (!b) return;
    const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
    const last = Math.floor(Math.max(0, end) / PAGE_SIZE);
    if (cur.pages.size > MAX_PAGES) {
      const far = [...cur.pages.keys()].sort((a, b) => Math.abs(b - first) - Math.abs(a - first));
      for (const p of far.slice(0, cur.pages.size - MAX_PAGES)) cur.pages.delete(p);
    }
    for (let p = first; p <= last; p++) {
      if (cur.pages.has(p) || cur.pending.has(p)) continue;
      if (cur.fresh && p * PAGE_SIZE >= cur.total) continue;
      cur.pending.add(p);
      const requestKey = cur.key;
      queryEngine({ kind: 'treeRows', request: { ...b, offset: p * PAGE_SIZE, limit: PAGE_SIZE } }, cur.controller.signal)
        .then((res) => {
          if (cache.current.key !== requestKey) return;
          const now = cache.current;
          now.pending.delete(p);
          now.pages.set(p, res.rows);
          now.total = res.total;
          now.opened = res.opened;
          if (!now.fresh) {
            now.fresh = true;
            now.stale = new Map();
          }
          rerender();
        })
        .catch((err: unknown) => {
          if (isAbort(err) || cache.current.key !== requestKey) return;
          cache.current.pending.delete(p);
          cache.current.error = messageOf(err);
          cache.current.fresh = true;
          cache.current.total = 0;
          rerender();
        });
    }
  }, []);

  useEffect(() => {
    if (key) ensure(0, PAGE_SIZE - 1);
  }, [key, ensure]);
  // A tree that goes away cancels what it still waits for (and, mounted again as StrictMode
  // does, asks afresh: nothing is left pending under an aborted signal).
  useEffect(() => () => {
    const cur = cache.current;
    cur.controller.abort();
    cur.controller = new AbortController();
    cur.pending = new Set();
  }, []);

  const row = (i: number) => {
    const p = Math.floor(i / PAGE_SIZE);
    return (c.pages.get(p) ?? (c.fresh ? undefined : c.stale.get(p)))?.[i % PAGE_SIZE];
  };
  const indexOf = (path: string) => {
    const src = c.fresh ? c.pages : c.stale;
    for (const [p, rows] of src) {
      const j = rows.findIndex((r) => r.path === path);
      if (j >= 0) return p * PAGE_SIZE + j;
    }
    return -1;
  };
  // Until the new request answers, the previous total stands with the previous rows.
  return { total: c.total, fresh: c.fresh, error: c.error, opened: c.fresh ? c.opened : undefined, row, ensure, indexOf };
}
