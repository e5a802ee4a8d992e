// Links from the size view into the filesystem tree: open every ancestor of the path, select it,
// and switch the centre pane back to the tree. Paths of the final filesystem are shown in the
// final view; a file some later layer removed is shown in the layer that wrote it.
import { selectLayer, selectPath, setCentre, setExpanded, setMode, setTab, useViewStore } from '../../store/view-store';

/** Engine paths are relative (`usr/lib`); lists show them with a leading '/'. */
export function barePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

export function revealInTree(path: string, opts: { expand?: boolean; layer?: number } = {}): void {
  const bare = barePath(path);
  if (!bare) return;
  const { imageId } = useViewStore.getState();
  if (opts.layer !== undefined && imageId) {
    selectLayer(imageId, opts.layer);
    setMode('layerOnly');
  } else setMode('final');
  const parts = bare.split('/');
  const last = opts.expand ? parts.length : parts.length - 1;
  for (let i = 1; i <= last; i++) setExpanded(parts.slice(0, i).join('/'), true);
  selectPath(bare);
  setTab('path');
  setCentre('files');
}
