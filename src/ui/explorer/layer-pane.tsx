// The layers column: headline numbers, the layer graph (bottom-up), and the selected step in full.
// Arrow keys move the selection: up goes to the layer above (a later one).
import { memo, useMemo } from 'react';
import { layerFacts, useLoadStore } from '../../store/load-store';
import { useView, useViewActions } from '../view-context';
import { formatBytes, formatCount, trimCommand } from '../format';
import { AnalysisSummary } from '../image/analysis-summary';
import { imageLabel, LayerGraphView } from '../viz/layer-graph-view';

// memo: the columns' parent re-renders on every tab and layer change; this pane follows its own
// subscriptions only, so the layer graph is repainted when what it shows changes.
export const LayerPane = memo(function LayerPane() {
  const summary = useLoadStore((s) => s.summary);
  const layers = useLoadStore((s) => s.layers);
  const analyses = useLoadStore((s) => s.analyses);
  const reading = useLoadStore((s) => s.status === 'loading' || s.status === 'starting');
  const imageId = useView((s) => s.imageId);
  const layer = useView((s) => s.layer);
  const { selectLayer } = useViewActions();
  const image = summary?.images.find((i) => i.id === imageId) ?? summary?.images[0];
  const shownId = image?.id ?? null;
  // One object per selection: the graph repaints when it changes, not on every render.
  const selected = useMemo(() => ({ imageId: shownId, layer }), [shownId, layer]);
  if (!summary) return null;
  const record = image?.layers[layer];
  const stats = image ? analyses[image.id]?.layers[layer] : undefined;

  const onKey = (e: React.KeyboardEvent) => {
    if (!image) return;
    const n = image.layers.length;
    let next = layer;
    if (e.key === 'ArrowUp' || e.key === 'k') next = Math.min(n - 1, layer + 1);
    else if (e.key === 'ArrowDown' || e.key === 'j') next = Math.max(0, layer - 1);
    else if (e.key === 'Home') next = n - 1;
    else if (e.key === 'End') next = 0;
    else return;
    e.preventDefault();
    selectLayer(image.id, next);
  };

  return (
    <section className="pane layer-pane" aria-label="Layers">
      <AnalysisSummary imageId={image?.id ?? null} />
      <header className="pane-head">
        <h2>Layers</h2>
        {summary.images.length > 1 ? (
          <select aria-label="Image" data-testid="layers.image" value={image?.id}
            onChange={(e) => {
              const picked = summary.images.find((i) => i.id === e.target.value);
              if (picked) selectLayer(picked.id, Math.max(0, picked.layers.length - 1));
            }}>
            {summary.images.map((img, i) => <option key={img.id} value={img.id}>{imageLabel(img, i)}</option>)}
          </select>
        ) : (
          <span className="muted">{image?.layers.length ?? 0} layers · top is last</span>
        )}
      </header>
      <div className="layer-scroll" tabIndex={0} onKeyDown={onKey} role="listbox" data-testid="layers.graph" aria-label="Layer graph: arrow keys select a layer">
        <LayerGraphView summary={summary} layers={layers} analyses={analyses} selected={selected} reading={reading}
          onSelect={(id, l) => { const picked = summary.images.find((i) => i.id === id); if (picked) selectLayer(picked.id, l); }} />
      </div>
      {record && (
        <div className="layer-detail" data-testid="layers.selected">
          <div className="ld-head">
            <span className="ld-index">Layer {layer}</span>
            <span className="muted">{formatBytes(layerFacts(layers, record).uncompressedSize)}</span>
            {stats && (
              <span className="ld-counts" data-testid="layers.selected.counts"
                title="Files: the layer's non-directory entries. Paths: everything it adds, modifies or removes, directories included">
                {layerFacts(layers, record).files !== undefined && <span className="muted">{formatCount(layerFacts(layers, record).files)} files · </span>}
                <span className="muted">paths </span><span className="c-added">+{stats.added}</span> <span className="c-modified">~{stats.modified + stats.meta}</span>{' '}
                <span className="c-removed">−{stats.removed}</span>
                {stats.reclaimableBytes > 0 && <span className="muted"> · {formatBytes(stats.reclaimableBytes)} reclaimable</span>}
              </span>
            )}
          </div>
          <pre className="ld-cmd">{record.command ? trimCommand(record.command) : '(no history for this layer)'}</pre>
          <div className="ld-digest mono muted" title={record.diffId ?? record.key}>{record.diffId ?? record.key}</div>
        </div>
      )}
    </section>
  );
});
