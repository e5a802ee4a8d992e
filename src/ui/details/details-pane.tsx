// Details of the selected path: type, size, mode, owner, link target, content hash, and every layer
// that touched it; then what a file holds (file-contents.tsx), or a directory's "Save as tar".
import { dataVersionOf, useLoadStore } from '../../store/load-store';
import { useEngineQuery } from '../use-engine-query';
import { useView, useViewActions, useViewStore } from '../view-context';
import { formatBytes, formatCount, formatMode, trimCommand, TYPE_NAMES } from '../format';
import { FileContents } from './file-contents';
import { SaveButton } from './save-button';

export function DetailsPane() {
  const imageId = useView((s) => s.imageId);
  const mode = useView((s) => s.mode);
  const layer = useView((s) => s.layer);
  const path = useView((s) => s.selectedPath);
  const { selectLayer } = useViewActions();
  const store = useViewStore();
  const version = useLoadStore((s) => dataVersionOf(s, imageId));
  const image = useLoadStore((s) => s.summary?.images.find((i) => i.id === imageId));
  const q = useEngineQuery('details', imageId && path !== null ? { imageId, view: { mode, layer }, path } : null, version);

  if (path === null) return <p className="placeholder-text">Select a path in the tree to see its details.</p>;
  // An answer about another path (the previous selection) is not shown while this one is asked.
  const current = q.answered?.path === path && q.answered.imageId === imageId;
  const d = current ? q.data ?? null : null;
  const error = current ? q.error : null;
  const target = imageId && d ? { imageId, view: { mode, layer }, path } : null;
  // Follow a link: open its target's directories in this view and select it.
  const follow = (to: string) => {
    const v = store.getState();
    const parts = to.split('/');
    for (let i = 1; i < parts.length; i++) v.setExpanded(parts.slice(0, i).join('/'), true);
    v.selectPath(to);
  };
  return (
    <div className="details">
      <div className="details-path" data-testid="details.path" title={`/${path}`}>{`/${path}`}</div>
      {error && <p className="error-text">{error}</p>}
      {d && (
        <>
          <dl className="kv">
            <dt>Type</dt><dd data-testid="details.type">{TYPE_NAMES[d.type] ?? d.type}</dd>
            <dt>Size</dt><dd>{formatBytes(d.size)} <span className="muted">({formatCount(d.size)} bytes)</span></dd>
            <dt>Mode</dt><dd className="mono" data-testid="details.mode">{d.type}{formatMode(d.mode)} <span className="muted">{(d.mode & 0o7777).toString(8).padStart(4, '0')}</span></dd>
            <dt>Owner</dt><dd className="mono">uid {d.uid} · gid {d.gid}</dd>
            {d.linkTarget !== undefined && <><dt>Target</dt><dd className="mono break">{d.linkTarget}</dd></>}
            {d.hash && <><dt title="The 64-bit xxHash of the contents, recorded when the layer was read: equal hashes, equal files (the duplicate finder's key). The SHA-256 shows with the contents.">xxh64</dt><dd className="mono break" title={d.hash}>{d.hash}</dd></>}
            {d.totals && (
              <><dt>Below</dt><dd>{formatBytes(d.totals.bytes)} in {formatCount(d.totals.files)} files</dd></>
            )}
          </dl>
          {target && d.type === 'd' && (
            <div className="contents-actions"><SaveButton target={target} kind="dir" name={path.split('/').pop() || 'rootfs'} size={d.totals?.bytes} /></div>
          )}
          {target && <FileContents target={target} details={d} onFollow={follow} />}
          {d.totals && d.totals.bytesByLayer.some((b) => b > 0) && <BytesByLayer bytes={d.totals.bytesByLayer} />}
          <h3>Layers that touched it</h3>
          <ol className="touch-list" data-testid="details.history">
            {d.history.map((h) => {
              const l = image?.layers[h.layer];
              return (
                <li key={`${h.layer}-${h.change}`} className={`c-${h.change}`}>
                  <button className="link" onClick={() => imageId && selectLayer(imageId, h.layer)} title={l?.command ?? ''}>
                    <span className="touch-change">{h.change === 'meta' ? 'mode' : h.change}</span>
                    <span className="touch-layer">layer {h.layer}</span>
                    <span className="touch-size">{h.change === 'removed' ? '' : formatBytes(h.size)}</span>
                    <span className="touch-cmd">{l?.command ? trimCommand(l.command) : ''}</span>
                  </button>
                </li>
              );
            })}
          </ol>
        </>
      )}
      {!d && !error && <p className="muted">{current && !q.busy ? 'Not present in this view of the filesystem.' : '…'}</p>}
    </div>
  );
}

/** Where the bytes below a directory came from, layer by layer. */
function BytesByLayer({ bytes }: { bytes: number[] }) {
  const imageId = useView((s) => s.imageId);
  const { selectLayer } = useViewActions();
  const max = Math.max(...bytes);
  return (
    <>
      <h3>Bytes below, by layer</h3>
      <ul className="plain by-layer">
        {bytes.map((b, i) => b > 0 && (
          <li key={i}>
            <button className="link" onClick={() => imageId && selectLayer(imageId, i)}>layer {i}</button>
            <span className="bar small"><span className="bar-fill" style={{ width: `${(100 * b) / max}%` }} /></span>
            <span className="muted">{formatBytes(b)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
