// The virtualised filesystem tree. Rows come in windows from the engine (useTreeRows); only what is
// on screen is rendered. Keys as in dive: arrows move, right/left open and close, space toggles.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useViewActions } from '../view-context';
import type { TreeRow } from '../../workers/protocol';
import { formatBytes, formatMode } from '../format';
import type { TreeRows } from './use-tree-rows';

const ROW_H = 24;

interface Props {
  rows: TreeRows;
  selectedPath: string | null;
  emptyText: string;
  /** Shown instead of an engine error while the image is still being read. */
  busyText?: string;
}

function TreeRowView({ row, selected, onClick, onToggle }: { row: TreeRow; selected: boolean; onClick: () => void; onToggle: () => void }) {
  const isDir = row.type === 'd';
  return (
    <div className={`tree-row c-${row.change}${selected ? ' is-selected' : ''}`} data-testid="tree.row" data-path={row.path}
      data-change={row.change} role="treeitem" aria-level={row.depth + 1} aria-selected={selected}
      aria-expanded={row.hasChildren ? row.expanded : undefined} onClick={onClick} onDoubleClick={onToggle}>
      <span className="tr-mode">{row.type}{formatMode(row.mode)}</span>
      <span className="tr-size">{formatBytes(row.size)}</span>
      <span className="tr-name" style={{ paddingLeft: row.depth * 16 }}>
        <span className={`tr-caret${row.hasChildren ? '' : ' none'}`} onClick={(e) => { e.stopPropagation(); onToggle(); }}>
          {row.hasChildren ? (row.expanded ? '▾' : '▸') : ''}
        </span>
        <span className={isDir ? 'tr-dir' : row.type === 'l' ? 'tr-link' : 'tr-file'}>{row.name}{isDir ? '/' : ''}</span>
        {row.linkTarget !== undefined && <span className="tr-target"> → {row.linkTarget}</span>}
      </span>
      <span className={`tr-change`}>{row.change === 'unchanged' ? '' : row.change === 'meta' ? 'mode' : row.change}</span>
    </div>
  );
}

export function TreeList({ rows, selectedPath, emptyText, busyText }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const { selectPath, setExpanded } = useViewActions();
  const v = useVirtualizer({ count: rows.total, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 20 });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => rows.ensure(first, last + 40), [rows, first, last]);

  // A move to a row not fetched yet (End, PageDown far away) completes when its page arrives.
  const pending = useRef<number | null>(null);
  const pendingRow = pending.current === null ? undefined : rows.row(pending.current);
  useEffect(() => {
    if (pendingRow) {
      pending.current = null;
      selectPath(pendingRow.path);
    }
  }, [pendingRow, selectPath]);
  const cursor = pending.current ?? (selectedPath === null ? -1 : rows.indexOf(selectedPath));

  // A path selected elsewhere (the size view's links) is scrolled into view once its row is loaded.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!rows.fresh || selectedPath === null || selectedPath === scrolledTo.current || cursor < 0) return;
    scrolledTo.current = selectedPath;
    v.scrollToIndex(cursor, { align: 'auto' });
  });

  const moveTo = (i: number) => {
    if (rows.total === 0) return;
    const idx = Math.max(0, Math.min(rows.total - 1, i));
    rows.ensure(idx - 5, idx + 5);
    const r = rows.row(idx);
    if (r) {
      pending.current = null;
      selectPath(r.path);
    } else pending.current = idx;
    v.scrollToIndex(idx, { align: 'auto' });
  };

  const toggle = (r: TreeRow) => r.hasChildren && setExpanded(r.path, !r.expanded, rows.opened);

  const onKey = (e: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 240) / ROW_H) - 1);
    const cur = cursor < 0 ? -1 : cursor;
    const r = cur >= 0 ? rows.row(cur) : undefined;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown': case 'j': moveTo(cur + 1); break;
      case 'ArrowUp': case 'k': moveTo(cur < 0 ? 0 : cur - 1); break;
      case 'PageDown': moveTo(cur + page); break;
      case 'PageUp': moveTo(cur - page); break;
      case 'Home': moveTo(0); break;
      case 'End': moveTo(rows.total - 1); break;
      case 'ArrowRight': case 'l':
        if (r?.hasChildren && !r.expanded) setExpanded(r.path, true, rows.opened);
        else if (r?.hasChildren) moveTo(cur + 1);
        break;
      case 'ArrowLeft': case 'h':
        if (r?.hasChildren && r.expanded) setExpanded(r.path, false, rows.opened);
        else if (r && r.depth > 0) {
          for (let i = cur - 1; i >= 0; i--) {
            const p = rows.row(i);
            if (p && p.depth < r.depth) { moveTo(i); break; }
          }
        }
        break;
      case ' ': case 'Enter': if (r) toggle(r); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  };

  return (
    <div ref={scroller} className="tree-list" tabIndex={0} role="tree" aria-label="Filesystem" data-testid="tree.list" aria-busy={!rows.fresh}
      onKeyDown={onKey}>
      {rows.fresh && rows.total === 0 ? (
        <div className="tree-empty">{rows.error ? (busyText ?? rows.error) : emptyText}</div>
      ) : (
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const r = rows.row(item.index);
            return (
              <div key={item.key} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_H, transform: `translateY(${item.start}px)` }}>
                {r ? (
                  <TreeRowView row={r} selected={r.path === selectedPath} onClick={() => selectPath(r.path)} onToggle={() => toggle(r)} />
                ) : (
                  <div className="tree-row placeholder"><span className="skeleton" /></div>
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
