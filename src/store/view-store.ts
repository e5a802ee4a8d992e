// What the user is looking at: which image and layer, the tree's mode, filters, sort and expansion,
// and the selected path. Small values only.
import { create } from 'zustand';
import type { ChangeKind, TreeFilter, TreeView } from '../workers/protocol';

export type PaneTab = 'path' | 'image';
/** What the centre column shows: the filesystem tree or the "Why so large" view (src/ui/size). */
export type CentreTab = 'files' | 'size';

export interface ViewState {
  imageId: string | null;
  layer: number;
  mode: TreeView['mode'];
  filter: TreeFilter;
  sort: 'name' | 'size';
  /** Expanded directories, or the collapsed ones when `expandAll` is set (see TreeRowsRequest). */
  expanded: string[];
  expandAll: boolean;
  selectedPath: string | null;
  tab: PaneTab;
  centre: CentreTab;
}

export const defaultFilter: TreeFilter = {
  text: '',
  regex: false,
  minSize: 0,
  show: { added: true, modified: true, meta: true, removed: true, unchanged: true },
};

export const useViewStore = create<ViewState>()(() => ({
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
}));

const set = useViewStore.setState;

export function selectLayer(imageId: string, layer: number): void {
  set({ imageId, layer });
}

export function setMode(mode: TreeView['mode']): void {
  set({ mode });
}

/** Expansion before a path filter was typed: filtering opens everything, clearing it restores. */
let beforeFilter: { expanded: string[]; expandAll: boolean } | null = null;

export function setFilterText(text: string, regex?: boolean): void {
  const { filter: f, expanded, expandAll } = useViewStore.getState();
  const filter = { ...f, text, regex: regex ?? f.regex };
  if (!f.text && text) {
    beforeFilter = { expanded, expandAll };
    set({ filter, expandAll: true, expanded: [] });
  } else if (f.text && !text && beforeFilter) {
    set({ filter, ...beforeFilter });
    beforeFilter = null;
  } else set({ filter });
}

export function setRegex(regex: boolean): void {
  set({ filter: { ...useViewStore.getState().filter, regex } });
}

export function setMinSize(minSize: number): void {
  set({ filter: { ...useViewStore.getState().filter, minSize } });
}

export function toggleChange(kind: ChangeKind): void {
  const f = useViewStore.getState().filter;
  const show = { ...f.show, [kind]: !f.show[kind] };
  // 'meta' (mode/owner-only changes) travels with 'modified' in the UI.
  if (kind === 'modified') show.meta = show.modified;
  set({ filter: { ...f, show } });
}

export function setSort(sort: 'name' | 'size'): void {
  set({ sort });
}

/** Expand or collapse one directory, whatever the expand-all state. */
export function setExpanded(path: string, open: boolean): void {
  const { expanded, expandAll } = useViewStore.getState();
  // With expandAll, `expanded` lists collapsed directories.
  const listed = expandAll ? !open : open;
  const has = expanded.includes(path);
  if (listed && !has) set({ expanded: [...expanded, path] });
  else if (!listed && has) set({ expanded: expanded.filter((p) => p !== path) });
}

export function expandAllDirs(): void {
  set({ expandAll: true, expanded: [] });
}

export function collapseAllDirs(): void {
  set({ expandAll: false, expanded: [] });
}

export function selectPath(path: string | null): void {
  set({ selectedPath: path });
}

export function setTab(tab: PaneTab): void {
  set({ tab });
}

export function setCentre(centre: CentreTab): void {
  set({ centre });
}

export function resetView(imageId: string | null, layer: number): void {
  beforeFilter = null;
  set({ imageId, layer, mode: 'layerOnly', expanded: [], expandAll: false, selectedPath: null, filter: defaultFilter, sort: 'name' });
}
