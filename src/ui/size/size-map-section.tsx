// The size map: the final filesystem by bytes (zoom = a new `sizeMap` query for that directory),
// or the bytes shipped but invisible (one query, zoomed on the client), with a breadcrumb and a
// legend of the layers on screen.
import { useEffect, useMemo, useState } from 'react';
import type { SizeNode } from '../../core/views/size-map';
import type { ImageId } from '../../core/types';
import { useEngineQuery } from '../use-engine-query';
import { useViewActions, useViewStore } from '../view-context';
import { Treemap } from '../viz/treemap';
import type { TreemapCell } from '../viz/treemap-layout';
import { subtreeAt } from '../viz/treemap-layout';
import { layerColor } from '../viz/treemap-palette';
import { formatBytes } from '../format';
import { revealInTree } from './reveal';
import type { DescribeLayer } from './size-view';

interface Props {
  imageId: ImageId; version: number; describe: DescribeLayer;
  /** Called once the first map and its legend are on screen: the view below stops moving. */
  onDrawn?: () => void;
}

const MAP_HEIGHT = 380;

/** Layers present in a map, biggest first, with their bytes (leaves only, so nothing counts twice). */
function layerTotals(root: SizeNode | null | undefined): [number, number][] {
  const t = new Map<number, number>();
  const walk = (n: SizeNode) => {
    if (n.children) {
      n.children.forEach(walk);
      return;
    }
    if (n.size > 0) t.set(n.layer, (t.get(n.layer) ?? 0) + n.size);
  };
  if (root) walk(root);
  return [...t.entries()].sort((a, b) => b[1] - a[1]);
}

export function SizeMapSection({ imageId, version, describe, onDrawn }: Props) {
  const [invisible, setInvisible] = useState(false);
  const [path, setPath] = useState('');
  /** Zoom of the invisible map: the chain of nodes from its root. */
  const [stack, setStack] = useState<SizeNode[]>([]);
  useEffect(() => { setPath(''); setStack([]); }, [imageId]);
  const view = useViewStore();
  const { selectPath, setTab } = useViewActions();

  const q = useEngineQuery('sizeMap', { imageId, path: invisible ? '' : path, invisible }, version);
  const fetched = q.data !== undefined && q.answered?.invisible === invisible ? q.data : undefined;
  // The final map only moves to a new path once its answer is a directory: a leaf at the depth
  // limit may be a file, and then it is selected (details on the right) and the map stays.
  const leaf = !invisible && !!fetched && !fetched.children && fetched.path !== '';
  const [lastMap, setLastMap] = useState<SizeNode | null>(null);
  // The answer is drawn in the render it arrives in (an effect would put it a frame later).
  const shown = fetched !== undefined && !leaf ? fetched : lastMap;
  useEffect(() => {
    if (fetched === undefined) return;
    if (leaf && fetched) {
      selectPath(fetched.path);
      setTab('path');
      setPath(lastMap?.path ?? '');
      return;
    }
    setLastMap(fetched);
    // Re-run when `lastMap` changes is harmless: `fetched` is then the map just shown, a directory.
  }, [fetched, leaf, lastMap, selectPath, setTab]);
  useEffect(() => { if (invisible && fetched) setStack((s) => (s[0] === fetched ? s : [fetched])); }, [fetched, invisible]);

  const root = invisible ? stack[stack.length - 1] ?? null : shown;
  const legend = useMemo(() => layerTotals(root), [root]);
  useEffect(() => { if (root) onDrawn?.(); }, [root, onDrawn]);

  const open = (c: TreemapCell) => {
    if (invisible) {
      const sub = subtreeAt(root!, c.id);
      if (sub?.children) setStack((s) => [...s, sub]);
    } else setPath(c.path);
  };
  const pick = (c: TreemapCell) => {
    if (!c.path) return;
    selectPath(c.path);
    setTab('path');
  };

  const crumbs: { label: string; go: () => void }[] = invisible
    ? stack.map((n, i) => ({ label: i === 0 ? 'shipped but invisible' : n.name, go: () => setStack((s) => s.slice(0, i + 1)) }))
    : [{ label: '/', go: () => setPath('') }, ...(path ? path.split('/') : []).map((seg, i, all) => ({
        label: seg, go: () => setPath(all.slice(0, i + 1).join('/')),
      }))];

  return (
    <section className="size-section" aria-label="Size map">
      <header className="size-head">
        <h3>Size map</h3>
        <nav className="crumbs" aria-label="Breadcrumb">
          {crumbs.map((c, i) => (
            <span key={i} className="crumb-wrap">
              {i > 0 && <span className="crumb-sep" aria-hidden>›</span>}
              <button className="crumb" data-testid="size.crumb" aria-current={i === crumbs.length - 1 ? 'location' : undefined}
                onClick={c.go} disabled={i === crumbs.length - 1}>{c.label}</button>
            </span>
          ))}
        </nav>
        <span className="spacer" />
        {!invisible && path && (
          <button className="ghost small" onClick={() => revealInTree(view, path, { expand: true })} title="Open this directory in the filesystem tree">Show in tree</button>
        )}
        <div className="seg" role="group" aria-label="Which bytes">
          <button className={invisible ? '' : 'on'} aria-pressed={!invisible} onClick={() => setInvisible(false)}>Final filesystem</button>
          <button className={invisible ? 'on' : ''} aria-pressed={invisible} onClick={() => setInvisible(true)} data-testid="size.invisible-toggle"
            title="Bytes that layers ship but the final filesystem no longer shows, by layer and path">Shipped but invisible</button>
        </div>
      </header>
      {q.error && !root ? (
        <p className="size-error">{q.error}</p>
      ) : (
        <Treemap root={root} height={MAP_HEIGHT} onOpen={open} onPick={pick} onBack={crumbs.length > 1 ? crumbs[crumbs.length - 2]!.go : undefined} describeLayer={describe} formatBytes={formatBytes}
          label={invisible ? 'Bytes shipped but invisible, by layer and path' : `Size map of /${path}`} busy={q.busy} />
      )}
      {invisible && root && !root.children?.length && <p className="muted size-note">Every byte the layers ship is visible in the final filesystem.</p>}
      <ul className="tm-legend plain" aria-label="Layers">
        {legend.slice(0, 12).map(([layer, bytes]) => (
          <li key={layer} title={describe(layer)}>
            <span className="tm-swatch" style={{ background: layerColor(layer) }} />
            <span className="tm-legend-text">{describe(layer)}</span>
            <span className="tm-legend-bytes">{formatBytes(bytes)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
