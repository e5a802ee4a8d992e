// The changed paths as a virtualised list (as src/ui/tree does): rows come from the engine in
// windows (comparePaths), filtered by change kind and by a part of the path; a click shows both sides' size and type, and
// for a changed file the diff of its two versions (text-diff.tsx).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import type { ImageId } from '../../core/types';
import { PATH_CHANGE_NAMES, type PathChangeName } from '../../core/compare/diff-files';
import type { ComparePathRow } from '../../core/compare/types';
import { useEngineQuery } from '../use-engine-query';
import { formatBytes } from '../format';
import { TextDiff } from './text-diff';

const ROW_H = 24;
const PAGE = 200;
const sizeOf = (n: number | null) => (n === null ? '—' : formatBytes(n));

export function ComparePaths({ pair, version, total }: { pair: { a: ImageId; b: ImageId }; version: number; total: number }) {
  const [changes, setChanges] = useState<PathChangeName[]>([...PATH_CHANGE_NAMES]);
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<ComparePathRow | null>(null);
  const [offset, setOffset] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const q = useEngineQuery('comparePaths', { pair, request: { changes, text: text.replace(/^\/+/, ''), offset, limit: PAGE * 2 } }, version);
  const win = q.data;
  const count = win?.total ?? 0;
  const v = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 20 });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const want = Math.max(0, Math.floor(first / PAGE) * PAGE - PAGE);
  if (want !== offset && (first < offset || first + items.length > offset + PAGE * 2)) setOffset(want);

  const toggle = (k: PathChangeName) => setChanges((c) => (c.includes(k) ? c.filter((x) => x !== k) : [...c, k]));
  return (
    <section className="compare-card">
      <h3>Changed paths <span className="muted">({count} of {total})</span></h3>
      <div className="compare-filters">
        {PATH_CHANGE_NAMES.map((k) => (
          <label key={k}><input type="checkbox" checked={changes.includes(k)} data-testid={`compare.filter.${k}`} onChange={() => toggle(k)} /> {k}</label>
        ))}
        <input type="search" className="compare-path-filter" placeholder="Filter paths…" aria-label="Filter changed paths" value={text}
          data-testid="compare.filter.text" onChange={(e) => { setText(e.target.value); setOffset(0); scroller.current?.scrollTo({ top: 0 }); }} />
      </div>
      <div className="compare-paths" ref={scroller}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const row = win?.rows[it.index - win.offset];
            return (
              <div key={it.key} className={`compare-path-row c-${row?.change ?? 'none'}`} data-testid={row ? 'compare.paths.row' : undefined}
                data-path={row?.path} style={{ position: 'absolute', top: it.start, height: ROW_H, left: 0, right: 0 }}
                onClick={() => row && setPicked(row)}>
                {row && <><span className="cp-change">{row.change}</span><span className="mono clip">/{row.path}</span>
                  <span className="num">{sizeOf(row.sizeA)} → {sizeOf(row.sizeB)}</span></>}
              </div>
            );
          })}
        </div>
      </div>
      {picked && (
        <dl className="compare-figures" data-testid="compare.path.details">
          <dt>Path</dt><dd className="mono">/{picked.path}</dd>
          <dt>A</dt><dd>{picked.sizeA === null ? 'absent' : `${picked.typeA ?? picked.type} ${formatBytes(picked.sizeA)}`}</dd>
          <dt>B</dt><dd>{picked.sizeB === null ? 'absent' : `${picked.type} ${formatBytes(picked.sizeB)}`}</dd>
        </dl>
      )}
      {picked && picked.change === 'changed' && picked.type === '-' && picked.typeA === undefined && (
        <TextDiff key={picked.path} a={pair.a} b={pair.b} path={picked.path} />
      )}
    </section>
  );
}
