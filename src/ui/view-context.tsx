// Each pane's view store, handed down by context: components below a ViewStoreProvider read and
// change that pane's view only. A second pane is a second provider (compare mode builds on this).
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createViewStore, type ViewActions, type ViewState, type ViewStore } from '../store/view-store';

const ViewStoreContext = createContext<ViewStore | null>(null);

/** Gives its children a view store: `store` when given (tests, a pane restored), else a new one from `init`. */
export function ViewStoreProvider({ store, init, children }: { store?: ViewStore; init?: Partial<ViewState>; children: ReactNode }) {
  const [own] = useState(() => store ?? createViewStore(init));
  return <ViewStoreContext.Provider value={store ?? own}>{children}</ViewStoreContext.Provider>;
}

/** The pane's store itself, for helpers that act on it (revealInTree) and for reading in handlers. */
export function useViewStore(): ViewStore {
  const store = useContext(ViewStoreContext);
  if (!store) throw new Error('a view component was rendered outside a ViewStoreProvider');
  return store;
}

/** A value of the pane's view; re-renders when it changes. */
export function useView<T>(select: (s: ViewState) => T): T {
  return useStore(useViewStore(), select);
}

/** The pane's actions: stable functions, safe in effects and handlers without being dependencies. */
export function useViewActions(): ViewActions {
  const store = useViewStore();
  // The actions are closures over the store's set/get: the first state's copies serve for ever.
  return useMemo((): ViewActions => store.getState(), [store]);
}
