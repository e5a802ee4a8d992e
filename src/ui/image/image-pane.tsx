// The image: config, platform, digests, full history, and the report download.
import { useState } from 'react';
import { formatPlatform } from '../../core/types';
import { messageOf, queryEngine } from '../../store/engine';
import { layerFacts, useLoadStore } from '../../store/load-store';
import { useView, useViewActions } from '../view-context';
import { formatBytes, trimCommand } from '../format';
import { downloadBlob } from '../download';

function List({ items, empty = 'none' }: { items: string[]; empty?: string }) {
  if (items.length === 0) return <span className="muted">{empty}</span>;
  return <ul className="plain">{items.map((v, i) => <li key={i} className="mono break">{v}</li>)}</ul>;
}

function argv(a: string[] | null): string {
  return a === null ? '' : JSON.stringify(a);
}

export function downloadJson(name: string, data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' });
  downloadBlob(blob, name);
}

export function ImagePane() {
  const imageId = useView((s) => s.imageId);
  const selectedLayer = useView((s) => s.layer);
  const { selectLayer } = useViewActions();
  const summary = useLoadStore((s) => s.summary);
  const fileNames = useLoadStore((s) => s.fileNames);
  const status = useLoadStore((s) => s.status);
  const layerState = useLoadStore((s) => s.layers);
  const [busy, setBusy] = useState<string | null>(null);
  const image = summary?.images.find((i) => i.id === imageId);
  if (!summary || !image) return null;
  const c = image.config;
  const layerSize = (i: number) => {
    const record = image.layers[i];
    return record ? layerFacts(layerState, record).uncompressedSize : undefined;
  };

  const download = async () => {
    setBusy('Preparing report…');
    try {
      const report = await queryEngine({ kind: 'report', imageId: image.id });
      const base = (fileNames[0] ?? 'image').replace(/\.(tar|tgz|tar\.gz|tar\.zst)$/i, '');
      downloadJson(`${base}.strata-report.json`, report);
      setBusy(null);
    } catch (e) {
      setBusy(`Report failed: ${messageOf(e)}`);
    }
  };

  return (
    <div className="image-pane">
      <div className="image-actions">
        <button className="primary" onClick={download} disabled={status !== 'done'} data-testid="image.download-report"
          title={status === 'done' ? 'The same JSON as `strata analyze --json`' : 'Available once the image is read'}>
          Download report
        </button>
        {busy && <span className="muted">{busy}</span>}
      </div>
      <h3>Image</h3>
      <dl className="kv">
        <dt>Tags</dt><dd><List items={image.tags} empty="untagged" /></dd>
        <dt>Platform</dt><dd className="mono">{formatPlatform(image.platform)}</dd>
        <dt>Format</dt><dd>{summary.format}{summary.outerCompression !== 'none' ? ` (${summary.outerCompression})` : ''}</dd>
        <dt>Config</dt><dd className="mono break">{image.configDigest ?? '—'}</dd>
        {image.manifestDigest && <><dt>Manifest</dt><dd className="mono break">{image.manifestDigest}</dd></>}
        {c.created && <><dt>Created</dt><dd>{c.created}</dd></>}
        {c.author && <><dt>Author</dt><dd>{c.author}</dd></>}
        {summary.otherPlatforms.length > 0 && (
          <><dt>Also in index</dt><dd><List items={summary.otherPlatforms.map((p) => formatPlatform(p.platform))} /></dd></>
        )}
      </dl>
      <h3>Config</h3>
      <dl className="kv">
        <dt>Entrypoint</dt><dd className="mono break">{argv(c.entrypoint) || <span className="muted">none</span>}</dd>
        <dt>Cmd</dt><dd className="mono break">{argv(c.cmd) || <span className="muted">none</span>}</dd>
        <dt>WorkingDir</dt><dd className="mono">{c.workingDir || <span className="muted">/</span>}</dd>
        <dt>User</dt><dd className="mono">{c.user || <span className="muted">root (default)</span>}</dd>
        <dt>Env</dt><dd><List items={c.env} /></dd>
        <dt>Ports</dt><dd><List items={c.exposedPorts} /></dd>
        <dt>Volumes</dt><dd><List items={c.volumes} /></dd>
        <dt>Labels</dt><dd>{c.labels.length === 0 ? <span className="muted">none</span> : (
          <ul className="plain">{c.labels.map(([k, v], i) => <li key={i} className="mono break"><span className="muted">{k}</span> = {v}</li>)}</ul>
        )}</dd>
        {c.stopSignal && <><dt>StopSignal</dt><dd className="mono">{c.stopSignal}</dd></>}
      </dl>
      <h3>History</h3>
      <ol className="history" data-testid="image.history">
        {image.history.map((h, i) => (
          <li key={i} className={h.emptyLayer ? 'empty' : h.layer === selectedLayer ? 'current' : ''}>
            {h.layer !== null ? (
              <button className="link" onClick={() => selectLayer(image.id, h.layer!)}>
                <span className="h-layer">L{h.layer}</span>
                <span className="h-size">{formatBytes(layerSize(h.layer))}</span>
              </button>
            ) : <span className="h-layer muted">—</span>}
            <span className="mono break h-cmd">{trimCommand(h.createdBy)}</span>
            {h.comment && <span className="muted h-comment">{h.comment}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}
