// What one pane is looking at: which image and layer, the tree's mode, filters, sort and expansion,
// and the selected path. Small values only. One store per pane (Excalidraw scopes its stores per
// editor the same way), handed down by ViewStoreProvider (src/ui/view-context.tsx), so two panes
// can show two images side by side.
import { createStore, type StoreApi } from 'zustand';
import type { ImageId } from '../core/types';
import type { ChangeName, TreeFilter, View } from '../workers/protocol';

export type PaneTab = 'path' | 'image';
/** What the centre column shows: the filesystem tree or the "Why so large" view (src/ui/size). */
export type CentreTab = 'files' | 'size';
/** `finding` before the findings arrive: select the largest and scroll to it (how the demo lands). */
export const LARGEST_FINDING = 'largest';

export interface ViewState {
  imageId: ImageId | null;
  layer: number;
  mode: View['mode'];
  filter: TreeFilter;
  sort: 'name' | 'size';
  /** Expanded directories, or the collapsed ones when `expandAll` is set (see TreeRowsRequest). */
  expanded: string[];
  expandAll: boolean;
  /** Bare, as the engine names paths. */
  selectedPath: string | null;
  tab: PaneTab;
  centre: CentreTab;
  /** The finding "Why so large" shows selected (its key, see findingKey), or LARGEST_FINDING. */
  finding: string | null;
}

export interface ViewActions {
  selectLayer(imageId: ImageId, layer: number): void;
  setMode(mode: View['mode']): void;
  /** A path filter opens every directory; clearing it restores the expansion from before. */
  setFilterText(text: string, regex?: boolean): void;
  setRegex(regex: boolean): void;
  setMinSize(minSize: number): void;
  toggleChange(kind: ChangeName): void;
  setSort(sort: 'name' | 'size'): void;
  /** Expand or collapse one directory, whatever the expand-all state. */
  setExpanded(path: string, open: boolean): void;
  expandAllDirs(): void;
  collapseAllDirs(): void;
  selectPath(path: string | null): void;
  setTab(tab: PaneTab): void;
  setCentre(centre: CentreTab): void;
  selectFinding(key: string | null): void;
  resetView(imageId: ImageId | null, layer: number): void;
}

export type ViewStore = StoreApi<ViewState & ViewActions>;

export const defaultFilter: TreeFilter = {
  text: '',
  regex: false,
  minSize: 0,
  show: { added: true, modified: true, meta: true, removed: true, unchanged: true },
};

export const initialView: ViewState = {
  imageId: null,
  layer: 0,
  mode: 'layerOnly',
  filter: defaultFilter,
  sort: 'name',
  expanded: [],
  expandAll: false,
  selectedPath: null,
  tab: 'path',
  centre: 'files',
  finding: null,
};

export function createViewStore(init: Partial<ViewState> = {}): ViewStore {
  return createStore<ViewState & ViewActions>()((set, get) => {
    /** Expansion before a path filter was typed, for this pane only. */
    let beforeFilter: { expanded: string[]; expandAll: boolean } | null = null;
    return {
      ...initialView,
      ...init,
      selectLayer: (imageId, layer) => set({ imageId, layer }),
      setMode: (mode) => set({ mode }),
      setFilterText: (text, regex) => {
        const { filter: f, expanded, expandAll } = get();
        const filter = { ...f, text, regex: regex ?? f.regex };
        if (!f.text && text) {
          beforeFilter = { expanded, expandAll };
          set({ filter, expandAll: true, expanded: [] });
        } else if (f.text && !text && beforeFilter) {
          set({ filter, ...beforeFilter });
          beforeFilter = null;
        } else set({ filter });
      },
      setRegex: (regex) => set({ filter: { ...get().filter, regex } }),
      setMinSize: (minSize) => set({ filter: { ...get().filter, minSize } }),
      toggleChange: (kind) => {
        const f = get().filter;
        const show = { ...f.show, [kind]: !f.show[kind] };
        // 'meta' (mode/owner-only changes) travels with 'modified' in the UI.
        if (kind === 'modified') show.meta = show.modified;
        set({ filter: { ...f, show } });
      },
      setSort: (sort) => set({ sort }),
      setExpanded: (path, open) => {
        const { expanded, expandAll } = get();
        // With expandAll, `expanded` lists collapsed directories.
        const listed = expandAll ? !open : open;
        const has = expanded.includes(path);
        if (listed && !has) set({ expanded: [...expanded, path] });
        else if (!listed && has) set({ expanded: expanded.filter((p) => p !== path) });
      },
      expandAllDirs: () => set({ expandAll: true, expanded: [] }),
      collapseAllDirs: () => set({ expandAll: false, expanded: [] }),
      selectPath: (selectedPath) => set({ selectedPath }),
      setTab: (tab) => set({ tab }),
      setCentre: (centre) => set({ centre }),
      selectFinding: (finding) => set({ finding }),
      resetView: (imageId, layer) => {
        beforeFilter = null;
        set({ imageId, layer, mode: 'layerOnly', expanded: [], expandAll: false, selectedPath: null, filter: defaultFilter, sort: 'name' });
      },
    };
  });
}
