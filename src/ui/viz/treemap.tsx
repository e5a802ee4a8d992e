// Painting of the size treemap: SVG from layoutTreemap's rectangles, a hover card, clicks.
// Every label is React text (never innerHTML): names and paths come from the archive.
import { useHostWidth } from './use-width';
import { useId, useMemo, useState } from 'react';
import type { SizeNode } from '../../core/views/size-map';
import { layoutTreemap, type TreemapCell, type TreemapLayout } from './treemap-layout';
import { layerColor, textColorOn } from './treemap-palette';

export interface TreemapProps {
  root: SizeNode | null;
  height: number;
  /** A directory (or a leaf that may be one) was clicked. */
  onOpen: (cell: TreemapCell) => void;
  /** A file was clicked. */
  onPick?: (cell: TreemapCell) => void;
  /** Escape or Backspace on the focused map: zoom out one level. */
  onBack?: () => void;
  /** What the hover card says about a layer ("layer 2 · RUN pip install …"). */
  describeLayer: (layer: number) => string;
  formatBytes: (n: number) => string;
  /** Leaf names in the invisible map carry their reason; paths are shown whole on hover. */
  label: string;
  busy?: boolean;
}

const HEADER = 18;
const CHAR_W = 6.4; // 11px sans, average

/**
 * The last layout of each map, by its root: the page keeps the size view's answers (answer-cache),
 * so opening the view again or zooming back out gets the same root object and skips the squarify
 * pass (~600 nodes: a third of the step's script time on the 2 GB bench image).
 */
const layouts = new WeakMap<SizeNode, { width: number; height: number; layout: TreemapLayout }>();

function layoutOf(root: SizeNode, width: number, height: number): TreemapLayout {
  const last = layouts.get(root);
  if (last && last.width === width && last.height === height) return last.layout;
  const layout = layoutTreemap(root, { width, height, headerHeight: HEADER, padding: 2 });
  layouts.set(root, { width, height, layout });
  return layout;
}

function fit(text: string, px: number): string {
  const n = Math.floor(px / CHAR_W);
  if (n < 3) return '';
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}

function CellView({ c, hovered, patternId, formatBytes }: { c: TreemapCell; hovered: boolean; patternId: string; formatBytes: (n: number) => string }) {
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  const common = {
    'data-testid': 'size.cell', 'data-path': c.path, 'data-kind': c.kind, 'data-id': c.id, 'data-layer': c.layer,
    className: `tm-cell tm-k-${c.kind}${c.mayHaveChildren ? ' tm-open' : ''}${hovered ? ' is-hover' : ''}`,
  };
  if (c.kind === 'dir') {
    const label = c.header ? fit(c.path ? `${c.name}/` : c.name, w - 70) : '';
    const size = c.header && w > 90 ? formatBytes(c.size) : '';
    return (
      <g {...common}>
        <rect className={`tm-frame tm-d${Math.min(c.depth, 3)}`} x={c.x0} y={c.y0} width={w} height={h} rx={3} />
        {label && <text className="tm-dir-label" x={c.x0 + 6} y={c.y0 + 13}>{label}</text>}
        {size && <text className="tm-dir-size" x={c.x1 - 6} y={c.y0 + 13} textAnchor="end">{size}</text>}
      </g>
    );
  }
  const fill = c.kind === 'other' ? `url(#${patternId})` : layerColor(c.layer);
  const ink = c.kind === 'other' ? 'var(--muted)' : textColorOn(layerColor(c.layer));
  const name = w >= 34 && h >= 15 ? fit(c.kind === 'other' ? 'other' : c.name, w - 8) : '';
  const size = name && h >= 30 ? fit(formatBytes(c.size), w - 8) : '';
  return (
    <g {...common}>
      <rect className="tm-leaf" x={c.x0} y={c.y0} width={w} height={h} rx={2} fill={fill} />
      {name && <text className="tm-leaf-label" x={c.x0 + 4} y={c.y0 + 12} fill={ink}>{name}</text>}
      {size && <text className="tm-leaf-size" x={c.x0 + 4} y={c.y0 + 25} fill={ink}>{size}</text>}
    </g>
  );
}

export function Treemap({ root, height, onOpen, onPick, onBack, describeLayer, formatBytes, label, busy }: TreemapProps) {
  const [host, width] = useHostWidth();
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | null>(null);
  const patternId = `tm-other-${useId().replace(/[^\w-]/g, '')}`;

  const layout = useMemo(
    () => (root && width > 0 ? layoutOf(root, width, height) : null),
    [root, width, height],
  );
  const byId = useMemo(() => new Map(layout?.cells.map((c) => [c.id, c]) ?? []), [layout]);
  const hovered = hover ? byId.get(hover.id) : undefined;

  const cellOf = (e: React.MouseEvent): TreemapCell | undefined => {
    const g = (e.target as Element).closest('[data-id]');
    return g ? byId.get(g.getAttribute('data-id') ?? '') : undefined;
  };

  const onMove = (e: React.MouseEvent) => {
    const c = cellOf(e);
    const box = host.current?.getBoundingClientRect();
    if (!c || !box) return setHover(null);
    setHover({ id: c.id, x: e.clientX - box.left, y: e.clientY - box.top });
  };

  const onClick = (e: React.MouseEvent) => {
    const c = cellOf(e);
    if (!c || c.kind === 'other') return;
    if (c.mayHaveChildren) onOpen(c);
    else onPick?.(c);
  };

  const total = layout?.total ?? 0;
  return (
    <div ref={host} className={`tm-host${busy ? ' is-busy' : ''}`} style={{ height }} data-testid="size.treemap" aria-busy={busy}
      tabIndex={0} onKeyDown={(e) => { if (onBack && (e.key === 'Escape' || e.key === 'Backspace')) { e.preventDefault(); onBack(); } }}>
      {layout && (
        <svg className="tm" width={width} height={height} role="img" aria-label={label}
          onMouseMove={onMove} onMouseLeave={() => setHover(null)} onClick={onClick}>
          <defs>
            <pattern id={patternId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" className="tm-other-bg" />
              <line x1="0" y1="0" x2="0" y2="6" className="tm-other-line" />
            </pattern>
          </defs>
          {layout.cells.map((c) => <CellView key={c.id} c={c} hovered={c.id === hover?.id} patternId={patternId} formatBytes={formatBytes} />)}
        </svg>
      )}
      {layout && layout.cells.length === 0 && <div className="tm-empty">No bytes here.</div>}
      {hovered && hover && (
        <div className="tm-card" role="tooltip" data-testid="size.hover"
          style={{ left: Math.min(hover.x + 14, Math.max(0, width - 300)), top: hover.y + 16 > height - 90 ? Math.max(0, hover.y - 96) : hover.y + 16 }}>
          <div className="tm-card-path">{hovered.kind === 'other' ? 'other files (not listed)' : hovered.path ? `/${hovered.path}` : hovered.name}</div>
          <div className="tm-card-row">
            <strong>{formatBytes(hovered.size)}</strong>
            <span className="muted">{total > 0 ? `${((hovered.size / total) * 100).toFixed(1)}% of this map` : ''}</span>
          </div>
          {hovered.kind !== 'other' && (
            <div className="tm-card-row">
              <span className="tm-swatch" style={{ background: layerColor(hovered.layer) }} />
              <span className="tm-card-layer">{hovered.kind === 'dir' ? 'mostly ' : ''}{describeLayer(hovered.layer)}</span>
            </div>
          )}
          {hovered.mayHaveChildren && <div className="tm-card-hint muted">Click to zoom in</div>}
        </div>
      )}
    </div>
  );
}
