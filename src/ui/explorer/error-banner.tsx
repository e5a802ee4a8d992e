// Errors, and warnings that mean damaged bytes, each naming the file, the layer and what is wrong.
// Other warnings fold into one line. What was read before an error stays on screen.
import { useState } from 'react';
import type { ArchiveSummary } from '../../core/image/model';
import type { ImageId } from '../../core/types';
import { dismissError, severityOf, useLoadStore, type LoadState } from '../../store/load-store';
import { trimCommand } from '../format';

type W = LoadState['warnings'][number];

/** `layer i (its step)`, the step read from the image the index counts in (else the first image). */
export function layerName(summary: ArchiveSummary | null, i: number | undefined, image?: ImageId): string | null {
  if (i === undefined) return null;
  const img = summary?.images.find((m) => m.id === image) ?? summary?.images[0];
  const cmd = img?.layers[i]?.command;
  return `layer ${i}${cmd ? ` (${trimCommand(cmd).slice(0, 60)})` : ''}`;
}

function where(w: W, summary: ArchiveSummary | null): string {
  return [layerName(summary, w.layer, w.image), w.entry && `entry ${w.entry}`, w.offset !== undefined && `byte ${w.offset}`].filter(Boolean).join(' · ');
}

export function ErrorBanner() {
  const errors = useLoadStore((s) => s.errors);
  const warnings = useLoadStore((s) => s.warnings);
  const summary = useLoadStore((s) => s.summary);
  const fileNames = useLoadStore((s) => s.fileNames);
  const status = useLoadStore((s) => s.status);
  const layerState = useLoadStore((s) => s.layers);
  const [showNotes, setShowNotes] = useState(false);
  const [hidden, setHidden] = useState<Set<W>>(new Set());
  const damage = warnings.filter((w) => severityOf(w) === 'damage' && !hidden.has(w));
  const notes = warnings.filter((w) => severityOf(w) === 'note');
  const cancelled = status === 'cancelled';
  if (errors.length === 0 && damage.length === 0 && notes.length === 0 && !cancelled) return null;
  const keys = Object.values(layerState);
  const fallbackFile = fileNames.join(', ');
  const kept = summary ? <span className="muted"> Everything else that was read is shown below.</span> : null;
  return (
    <div className="banners">
      {cancelled && (
        <div className="banner banner-info" role="status" data-testid="load.cancelled">
          <strong>Reading was cancelled.</strong>
          <span>{keys.filter((l) => l.indexed).length} of {keys.length} layers were read; the rest are marked “not read”.</span>
        </div>
      )}
      {errors.map((e, i) => (
        <div key={`e${i}`} className="banner banner-error" role="alert" data-testid="error.banner">
          <strong>{e.file ?? fallbackFile}</strong>
          {e.layer !== undefined && <span>{layerName(summary, e.layer)}</span>}
          <span className="banner-msg">{e.message}</span>
          {i === errors.length - 1 && damage.length === 0 && kept}
          <button className="banner-close" aria-label="Dismiss" onClick={() => dismissError(i)}>×</button>
        </div>
      ))}
      {damage.map((w, i) => (
        <div key={`d${i}`} className="banner banner-error" role="alert" data-testid="error.banner" data-code={w.code}>
          <strong>{w.file ?? fallbackFile}</strong>
          {where(w, summary) && <span>{where(w, summary)}</span>}
          <span className="banner-msg">{w.message}</span>
          {i === damage.length - 1 && kept}
          <button className="banner-close" aria-label="Dismiss" onClick={() => setHidden(new Set([...hidden, w]))}>×</button>
        </div>
      ))}
      {notes.length > 0 && (
        <div className="banner banner-warning" data-testid="warning.banner">
          <button className="link" onClick={() => setShowNotes(!showNotes)} aria-expanded={showNotes}>
            {notes.length} note{notes.length === 1 ? '' : 's'} while reading {showNotes ? '▾' : '▸'}
          </button>
          {showNotes && (
            <ul className="plain warning-list">
              {notes.map((w, i) => (
                <li key={i}>
                  {[w.file, where(w, summary)].filter(Boolean).join(' · ')}
                  {(w.file || where(w, summary)) && ': '}
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
