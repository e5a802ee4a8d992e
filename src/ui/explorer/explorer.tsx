// The explorer: banners and progress across the top, then layers | filesystem | details.
import { useEffect } from 'react';
import { useLoadStore } from '../../store/load-store';
import { useView, useViewActions, ViewStoreProvider } from '../view-context';
import { CentrePane } from '../size/centre-pane';
import { ErrorBanner } from './error-banner';
import { LayerPane } from './layer-pane';
import { ProgressPanel } from './progress-panel';
import { SidePane } from './side-pane';

export function Explorer() {
  const summary = useLoadStore((s) => s.summary);
  const status = useLoadStore((s) => s.status);
  const landOn = useLoadStore((s) => s.landOn);

  return (
    <main className="explorer">
      <ErrorBanner />
      <ProgressPanel />
      {summary ? (
        <ViewStoreProvider init={{ centre: landOn }}>
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
  const imageId = useView((s) => s.imageId);
  const { resetView } = useViewActions();

  // When a new archive's summary arrives, select the top layer of its first image.
  useEffect(() => {
    const first = summary?.images[0];
    if (first && !summary.images.some((i) => i.id === imageId)) resetView(first.id, Math.max(0, first.layers.length - 1));
  }, [summary, imageId, resetView]);

  return (
    <div className="columns">
      <LayerPane />
      <CentrePane />
      <SidePane />
    </div>
  );
}
