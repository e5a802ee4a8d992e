// The compare view (issue #12 "In the page"): update cost, summary figures, aligned layers,
// changed paths, per-directory deltas, packages, config and history. Text only, as the CLI's
// report holds it (compareSummary): the page and `npm run compare` show the same figures.
import type { ImageId } from '../../core/types';
import type { CompareSummary } from '../../core/compare/windows';
import type { ConfigValue } from '../../core/compare/diff-config';
import { useEngineQuery } from '../use-engine-query';
import { formatBytes } from '../format';
import { ComparePaths } from './compare-paths';

const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${formatBytes(Math.abs(n))}`;
const sizeOf = (n: number | null | undefined) => (n === null || n === undefined ? '—' : formatBytes(n));
const valueOf = (v: ConfigValue) => (v === null ? '—' : Array.isArray(v) ? v.join(' ') : v);

export function CompareView({ a, b, version }: { a: ImageId; b: ImageId; version: number }) {
  const pair = { a, b };
  const q = useEngineQuery('compare', { pair, pathLimit: 0 }, version);
  if (q.error) return <p className="compare-error" role="alert">{q.error}</p>;
  const s = q.data;
  if (!s) return <p className="muted">Comparing…</p>;
  return (
    <div className="compare-view">
      <Figures s={s} />
      <Rebuilt s={s} />
      <Layers s={s} />
      <ComparePaths key={`${a},${b}`} pair={pair} version={version} total={s.pathsTotal} />
      <Directories s={s} />
      <Packages s={s} />
      <ConfigHistory s={s} />
    </div>
  );
}

function Figures({ s }: { s: CompareSummary }) {
  const f = s.files;
  return (
    <section className="compare-card" data-testid="compare.summary">
      <h2>{s.a.name} → {s.b.name}{s.same ? ' (same content)' : ''}</h2>
      <dl className="compare-figures">
        <dt>Pull B given A</dt><dd data-testid="compare.pull.b">{formatBytes(s.pull.bytesForBGivenA)} · {s.pull.layersForBGivenA} layers</dd>
        <dt>Pull A given B</dt><dd data-testid="compare.pull.a">{formatBytes(s.pull.bytesForAGivenB)} · {s.pull.layersForAGivenB} layers</dd>
        <dt>Size</dt><dd data-testid="compare.size">{formatBytes(s.a.sizeBytes)} → {formatBytes(s.b.sizeBytes)} ({signed(s.b.sizeBytes - s.a.sizeBytes)})</dd>
        <dt>Files</dt><dd data-testid="compare.files">{f.added} added · {f.removed} removed · {f.changed} changed · {f.metadata} metadata</dd>
      </dl>
    </section>
  );
}

/** Issue #21: B's layers from the first changed step up that A lacks: what the update re-ships. */
function Rebuilt({ s }: { s: CompareSummary }) {
  const x = s.rebuilt;
  const first = x.firstChangedStep;
  return (
    <section className="compare-card wide" data-testid="compare.rebuilt">
      <h3>Rebuilt by this update</h3>
      {!first ? <p className="muted">B reuses every step of A: nothing is rebuilt.</p> : (
        <>
          <p data-testid="compare.rebuilt.total">
            {x.layers.length} layer{x.layers.length === 1 ? '' : 's'} · {formatBytes(x.storedBytes)} stored · {formatBytes(x.sizeBytes)} unpacked
            {x.unchangedLayers > 0 && <span className="muted"> · {x.unchangedLayers} rebuilt layer{x.unchangedLayers === 1 ? '' : 's'} came out identical</span>}
          </p>
          <p className="muted">
            From B's step{first.layer !== null ? ` (layer ${first.layer})` : ''} <code className="mono" title={first.command}>{first.command}</code> up:
            a build reuses every layer below it, and every host holding A pulls these again.
          </p>
          {x.layers.length > 0 && (
            <table className="compare-table">
              <thead><tr><th>B</th><th>Step</th><th>Stored</th><th>Size</th></tr></thead>
              <tbody>
                {x.layers.map((l) => (
                  <tr key={l.index} data-testid="compare.rebuilt.row">
                    <td className="num">{l.index}</td><td className="mono clip" title={l.command}>{l.command}</td>
                    <td className="num">{sizeOf(l.compressedSize)}</td><td className="num">{formatBytes(l.sizeBytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function Layers({ s }: { s: CompareSummary }) {
  return (
    <section className="compare-card wide">
      <h3>Layers</h3>
      <table className="compare-table">
        <thead><tr><th>Relation</th><th>A</th><th>Size A</th><th>B</th><th>Size B</th><th>Δ</th></tr></thead>
        <tbody>
          {s.layers.map((l, i) => (
            <tr key={i} data-testid="compare.layers.row" data-relation={l.relation} className={`rel-${l.relation}`}>
              <td>{l.relation}</td>
              <td className="mono clip" title={l.a?.command}>{l.a ? `${l.a.index}: ${l.a.command}` : ''}</td>
              <td className="num">{sizeOf(l.a?.sizeBytes)}</td>
              <td className="mono clip" title={l.b?.command}>{l.b ? `${l.b.index}: ${l.b.command}` : ''}</td>
              <td className="num">{sizeOf(l.b?.sizeBytes)}</td>
              <td className="num">{signed(l.delta)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Directories({ s }: { s: CompareSummary }) {
  return (
    <section className="compare-card">
      <h3>Directories by |Δ|</h3>
      <table className="compare-table">
        <thead><tr><th>Directory</th><th>A</th><th>B</th><th>Δ</th></tr></thead>
        <tbody>
          {s.directories.slice(0, 30).map((d) => (
            <tr key={d.path} data-testid="compare.dirs.row"><td className="mono">/{d.path}</td><td className="num">{formatBytes(d.sizeA)}</td>
              <td className="num">{formatBytes(d.sizeB)}</td><td className="num">{signed(d.delta)}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Packages({ s }: { s: CompareSummary }) {
  return (
    <section className="compare-card">
      <h3>Packages</h3>
      {s.packages.length === 0 ? <p className="muted">No package differs.</p> : (
        <table className="compare-table">
          <thead><tr><th>Package</th><th>Change</th><th>A</th><th>B</th><th>Bytes A</th><th>Bytes B</th></tr></thead>
          <tbody>
            {s.packages.map((p) => (
              <tr key={`${p.ecosystem}/${p.name}`} data-testid="compare.packages.row" data-name={p.name} data-change={p.change}>
                <td className="mono">{p.ecosystem}/{p.name}</td><td>{p.change}</td><td className="mono">{p.versionA ?? '—'}</td>
                <td className="mono">{p.versionB ?? '—'}</td><td className="num">{sizeOf(p.bytesA)}</td><td className="num">{sizeOf(p.bytesB)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ConfigHistory({ s }: { s: CompareSummary }) {
  return (
    <section className="compare-card">
      <h3>Config</h3>
      {s.config.length === 0 ? <p className="muted">The configs agree.</p> : (
        <table className="compare-table">
          <thead><tr><th>Field</th><th>A</th><th>B</th></tr></thead>
          <tbody>
            {s.config.map((c) => (
              <tr key={c.field} data-testid="compare.config.row" data-field={c.field}>
                <td className="mono">{c.field}</td><td className="mono clip">{valueOf(c.a)}</td><td className="mono clip">{valueOf(c.b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>History</h3>
      <ul className="plain compare-history">
        {s.history.map((h, i) => (
          <li key={i} data-testid="compare.history.row" className={`c-${h.change}`}>
            <span>{h.change === 'added' ? '+ B' : '− A'} {h.index}</span> <span className="mono">{h.createdBy}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
