// The filesystem pane: toolbar, header and the virtualised list for the selected image and layer.
import { useEffect, useMemo, useRef } from 'react';
import { dataVersionOf, useLoadStore } from '../../store/load-store';
import { formatCount } from '../format';
import { useView, useViewActions } from '../view-context';
import { TreeList } from './tree-list';
import { TreeToolbar } from './tree-toolbar';
import { useTreeRows, type TreeRowsBase } from './use-tree-rows';

export function TreePane() {
  const imageId = useView((s) => s.imageId);
  const layer = useView((s) => s.layer);
  const mode = useView((s) => s.mode);
  const filter = useView((s) => s.filter);
  const sort = useView((s) => s.sort);
  const expanded = useView((s) => s.expanded);
  const expandAll = useView((s) => s.expandAll);
  const openChanges = useView((s) => s.openChanges && s.mode === 'layerOnly');
  const selectedPath = useView((s) => s.selectedPath);
  const { expandAllDirs, collapseAllDirs } = useViewActions();
  const dataVersion = useLoadStore((s) => dataVersionOf(s, imageId));
  const status = useLoadStore((s) => s.status);
  // Compressed layers still being read: the engine has merged the indexed prefix only.
  const partial = useLoadStore((s) => (imageId ? s.analyses[imageId]?.partial : undefined));
  const unread = partial !== undefined && mode !== 'final' && layer >= partial.layers;
  const loading = status === 'loading' || status === 'starting';
  const filterRef = useRef<HTMLInputElement>(null);

  const base = useMemo<TreeRowsBase | null>(
    () => (imageId && !unread ? { imageId, view: { mode, layer }, expanded, expandAll, ...(openChanges ? { openChanges } : {}), filter, sort } : null),
    [imageId, mode, layer, expanded, expandAll, openChanges, filter, sort, unread],
  );
  const rows = useTreeRows(base, dataVersion);

  // `/` focuses the filter from anywhere outside a text field, as in dive and less.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      e.preventDefault();
      filterRef.current?.focus();
      filterRef.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const anyFilter = filter.text !== '' || filter.minSize > 0 || Object.values(filter.show).some((v) => !v);
  const emptyText = anyFilter ? 'Nothing matches the filters.' : mode === 'layerOnly' ? 'This layer changes no files.' : 'No files.';

  return (
    <section className="pane tree-pane" aria-label="Filesystem">
      <header className="pane-head">
        <h2 className="sr-only">Filesystem</h2>
        <span className="muted" data-testid="tree.count">{rows.fresh ? `${formatCount(rows.total)} row${rows.total === 1 ? '' : 's'}` : 'loading…'}</span>
        <span className="spacer" />
        <button className="ghost small" onClick={expandAllDirs} data-testid="tree.expand-all" title="Expand every directory">Expand all</button>
        <button className="ghost small" onClick={collapseAllDirs} data-testid="tree.collapse-all" title="Collapse every directory">Collapse all</button>
      </header>
      <TreeToolbar filterRef={filterRef} />
      <div className="tree-colhead" aria-hidden>
        <span className="tr-mode">Permission</span>
        <span className="tr-size">Size</span>
        <span className="tr-name">Name</span>
        <span className="tr-change" />
      </div>
      {partial && <PartialNote partial={partial} mode={mode} />}
      {unread ? (
        <div className="tree-list"><div className="tree-empty" data-testid="tree.unread">Layer {layer} is still being read. Layers 0–{partial.layers - 1} can be explored now.</div></div>
      ) : <TreeList rows={rows} selectedPath={selectedPath} emptyText={emptyText}
        busyText={loading ? 'The filesystem appears here as soon as the layers are read…'
          : status === 'cancelled' ? 'Reading was cancelled before every layer was read, so there is no merged filesystem. Open the file again to read it all.'
          : undefined} />}
    </section>
  );
}

/** What the tree holds while layers are still being read (their headers, when uncompressed), and what is still to come. */
function PartialNote({ partial, mode }: { partial: { layers: number; of: number }; mode: string }) {
  const n = partial.layers;
  const rest = partial.of - n === 1 ? `layer ${n}` : `layers ${n}–${partial.of - 1}`;
  return (
    <div className="tree-partial muted" role="status" data-testid="tree.partial">
      {n === 1 ? 'Layer 0 is read' : `Layers 0–${n - 1} are read`}; still reading {rest}.
      {mode === 'final' ? ` The final view shows up to layer ${n - 1} until every layer is in.` : ''}
    </div>
  );
}
