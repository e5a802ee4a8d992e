// The right column: the selected path, or the image's config and history.
import { memo } from 'react';
import { useView, useViewActions } from '../view-context';
import { DetailsPane } from '../details/details-pane';
import { ImagePane } from '../image/image-pane';

export const SidePane = memo(function SidePane() {
  const tab = useView((s) => s.tab);
  const { setTab } = useViewActions();
  return (
    <section className="pane side-pane" aria-label="Details">
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'path'} className={tab === 'path' ? 'on' : ''} onClick={() => setTab('path')} data-testid="side.tab.path">Path</button>
        <button role="tab" aria-selected={tab === 'image'} className={tab === 'image' ? 'on' : ''} onClick={() => setTab('image')} data-testid="side.tab.image">Image</button>
      </div>
      <div className="side-body">{tab === 'path' ? <DetailsPane /> : <ImagePane />}</div>
    </section>
  );
});
