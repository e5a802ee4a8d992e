// The explorer: banners and progress across the top, then layers | filesystem | details.
import { useEffect, useRef, useState } from 'react';
import type { ImageRecord } from '../../core/image/model';
import type { ImageId } from '../../core/types';
import { CompareMode } from '../compare/compare-mode';
import { readCompareHash, writeCompareHash } from '../compare/compare-hash';
import { layerFacts, useLoadStore, type LayerState } from '../../store/load-store';
import { LARGEST_FINDING } from '../../store/view-store';
import { useView, useViewActions, useViewStore, ViewStoreProvider } from '../view-context';
import { CentrePane } from '../size/centre-pane';
import { ErrorBanner } from './error-banner';
import { LayerPane } from './layer-pane';
import { ProgressPanel } from './progress-panel';
import { SidePane } from './side-pane';

export function Explorer() {
  const summary = useLoadStore((s) => s.summary);
  const status = useLoadStore((s) => s.status);
  const landOn = useLoadStore((s) => s.landOn);
  const many = (summary?.images.length ?? 0) >= 2;
  // Compare mode (issue #12) when the URL asks for it (#compare=<a>,<b>) and two images are loaded.
  const [comparing, setComparing] = useState(() => readCompareHash(window.location.hash) !== null);
  const setMode = (on: boolean) => {
    setComparing(on);
    if (!on) history.replaceState(null, '', window.location.pathname + window.location.search + writeCompareHash(window.location.hash, null));
  };

  return (
    <main className="explorer">
      <ErrorBanner />
      <ProgressPanel />
      {summary && many && (
        <div className="mode-tabs" role="tablist">
          <button role="tab" aria-selected={!comparing} className={comparing ? 'ghost' : 'ghost is-active'} onClick={() => setMode(false)} data-testid="compare.tab.explore">Explore</button>
          <button role="tab" aria-selected={comparing} className={comparing ? 'ghost is-active' : 'ghost'} onClick={() => setMode(true)} data-testid="compare.tab">Compare</button>
        </div>
      )}
      {summary && many && comparing ? <CompareMode /> : summary ? (
        <ViewStoreProvider init={{ centre: landOn, finding: landOn === 'size' ? LARGEST_FINDING : null }}>
          <ImageColumns />
        </ViewStoreProvider>
      ) : status === 'failed' ? (
        <div className="explorer-empty">Nothing could be read from this input. Open another file to try again.</div>
      ) : null}
    </main>
  );
}

/**
 * One image's pane: layers | filesystem | details, over the view store its provider gives it. A
 * second pane beside it is another `<ViewStoreProvider store={createViewStore({ imageId, layer })}>`
 * around another ImageColumns: it keeps the image it was given (the reset below only picks one
 * when the pane's image is not loaded).
 */
export function ImageColumns() {
  const summary = useLoadStore((s) => s.summary);
  const layers = useLoadStore((s) => s.layers);
  const imageId = useView((s) => s.imageId);
  const centre = useView((s) => s.centre);
  const partial = useLoadStore((s) => (imageId ? s.analyses[imageId]?.partial : undefined));
  const store = useViewStore();
  const { resetView, highlightLayer } = useViewActions();
  /**
   * The layer the page selected, until the user selects one: on "Why so large" the largest layer
   * (sizes of compressed layers are known once they are read, so it can move while they are), else
   * the top layer read so far while compressed layers are read, and the top layer once all are in
   * (a switch of tab alone moves nothing). One pick for both, so the page's own move while layers
   * load is not taken for the user's.
   */
  const picked = useRef<{ imageId: ImageId; layer: number; loading?: boolean } | null>(null);

  // When a new archive's summary arrives, open its first image on what a user came for: the final
  // image in the tree (the top layer selected), or on "Why so large" its largest layer.
  useEffect(() => {
    const first = summary?.images[0];
    if (!first || summary.images.some((i) => i.id === imageId)) return;
    const layer = store.getState().centre === 'size' ? largestLayer(first, layers) : Math.max(0, first.layers.length - 1);
    resetView(first.id, layer);
    picked.current = { imageId: first.id, layer };
  }, [summary, imageId, resetView, store, layers]);

  useEffect(() => {
    const p = picked.current;
    const image = summary?.images.find((i) => i.id === p?.imageId);
    if (!p || !image) return;
    const view = store.getState();
    if (view.imageId !== p.imageId || view.layer !== p.layer) { picked.current = null; return; }
    const top = image.layers.length - 1;
    const loading = partial !== undefined && centre !== 'size';
    const layer = centre === 'size' ? largestLayer(image, layers)
      : partial ? Math.max(0, Math.min(top, partial.layers - 1))
      : p.loading ? top : p.layer;
    if (loading !== Boolean(p.loading)) picked.current = { ...p, loading };
    if (layer !== p.layer) {
      picked.current = { imageId: p.imageId, layer, loading };
      highlightLayer(p.imageId, layer);
    }
  }, [summary, layers, centre, partial, store, highlightLayer]);

  return (
    <div className="columns">
      <LayerPane />
      <CentrePane />
      <SidePane />
    </div>
  );
}

/** The image's largest layer, unpacked (stored while it is unread); the lowest of equals. */
function largestLayer(image: ImageRecord, layers: Record<string, LayerState>): number {
  let best = Math.max(0, image.layers.length - 1);
  let bestSize = -1;
  for (const l of image.layers) {
    const size = layerFacts(layers, l).uncompressedSize ?? l.compressedSize;
    if (size > bestSize) { best = l.index; bestSize = size; }
  }
  return best;
}
