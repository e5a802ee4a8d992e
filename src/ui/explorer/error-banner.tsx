// Errors and warnings of the load, each naming the file, the layer and what is wrong. What was read
// before an error stays on screen.
import { useState } from 'react';
import { dismissError, useLoadStore } from '../../store/load-store';
import { trimCommand } from '../format';

export function ErrorBanner() {
  const errors = useLoadStore((s) => s.errors);
  const warnings = useLoadStore((s) => s.warnings);
  const summary = useLoadStore((s) => s.summary);
  const fileNames = useLoadStore((s) => s.fileNames);
  const [showWarnings, setShowWarnings] = useState(false);
  if (errors.length === 0 && warnings.length === 0) return null;
  const layerName = (i: number | undefined) => {
    if (i === undefined) return null;
    const cmd = summary?.images[0]?.layers[i]?.command;
    return `layer ${i}${cmd ? ` (${trimCommand(cmd).slice(0, 60)})` : ''}`;
  };
  return (
    <div className="banners">
      {errors.map((e, i) => (
        <div key={i} className="banner banner-error" role="alert" data-testid="error.banner">
          <strong>{e.file ?? fileNames.join(', ')}</strong>
          {e.layer !== undefined && <span> · {layerName(e.layer)}</span>}
          <span className="banner-msg">{e.message}</span>
          {summary && <span className="muted"> What was read before this is shown below.</span>}
          <button className="banner-close" aria-label="Dismiss" onClick={() => dismissError(i)}>×</button>
        </div>
      ))}
      {warnings.length > 0 && (
        <div className="banner banner-warning" data-testid="warning.banner">
          <button className="link" onClick={() => setShowWarnings(!showWarnings)} aria-expanded={showWarnings}>
            {warnings.length} warning{warnings.length === 1 ? '' : 's'} while reading {showWarnings ? '▾' : '▸'}
          </button>
          {showWarnings && (
            <ul className="plain warning-list">
              {warnings.map((w, i) => (
                <li key={i}>
                  {[w.file, layerName(w.layer), w.entry].filter(Boolean).join(' · ')}
                  {(w.file || w.layer !== undefined || w.entry) && ': '}
                  {w.message} <span className="muted mono">[{w.code}]</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
