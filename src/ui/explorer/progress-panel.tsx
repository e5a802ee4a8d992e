// Per-layer progress while an archive is read: bytes, percent and which layer, with a cancel button.
// For an image pulled from a registry the bytes are the ones fetched over the network.
import { cancelLoad, useLoadStore } from '../../store/load-store';
import { useRegistryStore } from '../../store/registry-store';
import { formatBytes, trimCommand } from '../format';

export function ProgressPanel() {
  const status = useLoadStore((s) => s.status);
  const summary = useLoadStore((s) => s.summary);
  const layers = useLoadStore((s) => s.layers);
  const fetching = useRegistryStore((s) => s.phase === 'pulling' || s.phase === 'loaded');
  if (status !== 'loading' && status !== 'starting') return null;

  const seen = new Set<string>();
  const rows = (summary?.images ?? []).flatMap((img) => img.layers.filter((l) => !seen.has(l.key) && seen.add(l.key)));
  let done = 0;
  let total = 0;
  for (const l of rows) {
    const st = layers[l.key];
    total += st?.bytesTotal ?? l.compressedSize;
    done += st?.indexed ? st.bytesTotal : st?.bytesDone ?? 0;
  }
  const active = rows.filter((l) => !layers[l.key]?.indexed);
  return (
    <div className="progress-panel" data-testid="progress.panel" aria-live="polite">
      <div className="progress-head">
        <span className="spinner" aria-hidden />
        <strong>{summary ? `${fetching ? 'Fetching' : 'Reading'} layers · ${rows.length - active.length} of ${rows.length} done` : fetching ? 'Fetching manifest and config…' : 'Reading manifest and config…'}</strong>
        {total > 0 && <span className="muted">{formatBytes(done)} of {formatBytes(total)}{fetching ? ' fetched' : ''}</span>}
        <button className="ghost danger" onClick={() => void cancelLoad()} data-testid="progress.cancel">Cancel</button>
      </div>
      {total > 0 && <div className="bar"><div className="bar-fill" style={{ width: `${(100 * done) / total}%` }} /></div>}
      <ul className="progress-layers">
        {active.slice(0, 6).map((l) => {
          const st = layers[l.key];
          const pct = st && st.bytesTotal > 0 ? (100 * st.bytesDone) / st.bytesTotal : 0;
          return (
            <li key={l.key} data-testid="progress.layer" data-layer-index={l.index}>
              <span className="pl-index">L{l.index}</span>
              <span className="pl-cmd">{l.command ? trimCommand(l.command) : l.key}</span>
              <span className="pl-bytes" data-testid="progress.layer-bytes">{formatBytes(st?.bytesDone ?? 0)} / {formatBytes(st?.bytesTotal ?? l.compressedSize)}{fetching ? ' fetched' : ''}</span>
              <span className="pl-pct">{pct.toFixed(0)}%</span>
              <span className="bar small"><span className="bar-fill" style={{ width: `${pct}%` }} /></span>
            </li>
          );
        })}
        {active.length > 6 && <li className="muted">and {active.length - 6} more…</li>}
      </ul>
    </div>
  );
}
