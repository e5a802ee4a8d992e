// Links from the size view into the filesystem tree: open every ancestor of the path, select it,
// and switch the centre pane back to the tree, in the pane whose store is given. Paths of the
// final filesystem are shown in the final view; a file some later layer removed is shown in the
// layer that wrote it.
import type { ViewStore } from '../../store/view-store';

/** `path` is bare, as the engine names it (`usr/lib`). */
export function revealInTree(store: ViewStore, path: string, opts: { expand?: boolean; layer?: number } = {}): void {
  if (!path) return;
  const view = store.getState();
  if (opts.layer !== undefined && view.imageId) {
    view.selectLayer(view.imageId, opts.layer);
    view.setMode('layerOnly');
  } else view.setMode('final');
  const parts = path.split('/');
  const last = opts.expand ? parts.length : parts.length - 1;
  for (let i = 1; i <= last; i++) view.setExpanded(parts.slice(0, i).join('/'), true);
  view.selectPath(path);
  view.setTab('path');
  view.setCentre('files');
}
