// The centre column: the filesystem tree, or the "Why so large" view, behind two tabs.
import { memo } from 'react';
import { useView, useViewActions } from '../view-context';
import { TreePane } from '../tree/tree-pane';
import { SizeView } from './size-view';
import './size.css';

export const CentrePane = memo(function CentrePane() {
  const centre = useView((s) => s.centre);
  const { setCentre } = useViewActions();
  return (
    <section className="pane centre-pane" aria-label="Centre">
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={centre === 'files'} className={centre === 'files' ? 'on' : ''}
          onClick={() => setCentre('files')} data-testid="files.tab">Filesystem</button>
        <button role="tab" aria-selected={centre === 'size'} className={centre === 'size' ? 'on' : ''}
          onClick={() => setCentre('size')} data-testid="size.tab">Why so large</button>
      </div>
      {centre === 'size' ? <SizeView /> : <TreePane />}
    </section>
  );
});
