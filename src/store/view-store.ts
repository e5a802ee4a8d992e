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
  /**
   * "This layer" also opens the directories on the way to the layer's changes when it has few (the
   * engine decides: TreeRowsRequest.openChanges). On until the user expands or collapses a directory
   * the engine opened; on again when another layer is selected.
   */
  openChanges: boolean;
  /** Bare, as the engine names paths. */
  selectedPath: string | null;
  tab: PaneTab;
  centre: CentreTab;
  /** The finding "Why so large" shows selected (its key, see findingKey), or LARGEST_FINDING. */
  finding: string | null;
}

export interface ViewActions {
  /**
   * The user picked a layer: the tree shows it ("Final image" ignores the layer, so it becomes
   * "This layer"; "Up to" stays), and a new layer opens the way to its changes again.
   */
  selectLayer(imageId: ImageId, layer: number): void;
  /** The page points at a layer (the size view's largest) without changing the tree's mode. */
  highlightLayer(imageId: ImageId, layer: number): void;
  setMode(mode: View['mode']): void;
  /** A path filter opens every directory; clearing it restores the expansion from before. */
  setFilterText(text: string, regex?: boolean): void;
  setRegex(regex: boolean): void;
  setMinSize(minSize: number): void;
  toggleChange(kind: ChangeName): void;
  setSort(sort: 'name' | 'size'): void;
  /**
   * Expand or collapse one directory, whatever the expand-all state. `opened` is what the engine
   * opened on the way to the layer's changes (TreeRowsResponse.opened): the first touch adopts it
   * as the user's own expansion, so only the touched directory changes on screen.
   */
  setExpanded(path: string, open: boolean, opened?: readonly string[]): void;
  expandAllDirs(): void;
  collapseAllDirs(): void;
  selectPath(path: string | null): void;
  setTab(tab: PaneTab): void;
  setCentre(centre: CentreTab): void;
  selectFinding(key: string | null): void;
  /** A new image: its `layer`, "Final image" in the tree (what a container of it sees), nothing expanded. */
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
  mode: 'final',
  filter: defaultFilter,
  sort: 'name',
  expanded: [],
  expandAll: false,
  openChanges: true,
  selectedPath: null,
  tab: 'path',
  centre: 'files',
  finding: null,
};

export function createViewStore(init: Partial<ViewState> = {}): ViewStore {
  return createStore<ViewState & ViewActions>()((set, get) => {
    /** Expansion before a path filter was typed, for this pane only. */
    let beforeFilter: { expanded: string[]; expandAll: boolean; openChanges: boolean } | null = null;
    return {
      ...initialView,
      ...init,
      selectLayer: (imageId, layer) => {
        const s = get();
        const moved = s.imageId !== imageId || s.layer !== layer;
        set({ imageId, layer, ...(moved ? { openChanges: true } : {}), ...(s.mode === 'final' ? { mode: 'layerOnly' as const } : {}) });
      },
      highlightLayer: (imageId, layer) => {
        const s = get();
        if (s.imageId !== imageId || s.layer !== layer) set({ imageId, layer, openChanges: true });
      },
      setMode: (mode) => set({ mode }),
      setFilterText: (text, regex) => {
        const { filter: f, expanded, expandAll, openChanges } = get();
        const filter = { ...f, text, regex: regex ?? f.regex };
        if (!f.text && text) {
          beforeFilter = { expanded, expandAll, openChanges };
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
      setExpanded: (path, open, opened) => {
        const s = get();
        let { expanded } = s;
        const { expandAll } = s;
        if (s.openChanges && !expandAll && opened && opened.length > 0) {
          const own = new Set(expanded);
          expanded = [...expanded, ...opened.filter((p) => !own.has(p))];
          set({ expanded, openChanges: false });
        }
        // With expandAll, `expanded` lists collapsed directories.
        const listed = expandAll ? !open : open;
        const has = expanded.includes(path);
        if (listed && !has) set({ expanded: [...expanded, path] });
        else if (!listed && has) set({ expanded: expanded.filter((p) => p !== path) });
      },
      expandAllDirs: () => set({ expandAll: true, expanded: [], openChanges: false }),
      collapseAllDirs: () => set({ expandAll: false, expanded: [], openChanges: false }),
      selectPath: (selectedPath) => set({ selectedPath }),
      setTab: (tab) => set({ tab }),
      setCentre: (centre) => set({ centre }),
      selectFinding: (finding) => set({ finding }),
      resetView: (imageId, layer) => {
        beforeFilter = null;
        set({ imageId, layer, mode: 'final', expanded: [], expandAll: false, openChanges: true, selectedPath: null, filter: defaultFilter, sort: 'name' });
      },
    };
  });
}
