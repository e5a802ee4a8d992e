// Installed packages (dpkg, pip, conda, apk, npm) with the bytes of the final files each owns:
// sortable by every column, filtered by the layer that installed them and by text, with the files
// no package owns as one "unowned" row.
import { useMemo, useState } from 'react';
import type { InstalledPackage } from '../../core/packages/types';
import type { ImageId } from '../../core/types';
import { layerColor } from '../viz/treemap-palette';
import { formatBytes, formatCount } from '../format';
import type { DescribeLayer } from './size-view';
import { useEngineQuery } from '../use-engine-query';

type Column = 'name' | 'version' | 'ecosystem' | 'bytes' | 'files' | 'layer';
const COLUMNS: { id: Column; label: string; numeric: boolean }[] = [
  { id: 'name', label: 'Package', numeric: false },
  { id: 'version', label: 'Version', numeric: false },
  { id: 'ecosystem', label: 'Type', numeric: false },
  { id: 'bytes', label: 'Bytes', numeric: true },
  { id: 'files', label: 'Files', numeric: true },
  { id: 'layer', label: 'Layer', numeric: true },
];
const PAGE = 200;

/** Owned bytes, or dpkg's estimate when no file list survives (distroless): what the row shows. */
const shownBytes = (p: InstalledPackage) => (p.files === 0 && p.installedSize ? p.installedSize : p.bytes);

function compare(a: InstalledPackage, b: InstalledPackage, col: Column): number {
  switch (col) {
    case 'name': return a.name.localeCompare(b.name);
    case 'version': return a.version.localeCompare(b.version, undefined, { numeric: true });
    case 'ecosystem': return a.ecosystem.localeCompare(b.ecosystem) || shownBytes(b) - shownBytes(a);
    case 'bytes': return shownBytes(a) - shownBytes(b);
    default: return a[col] - b[col];
  }
}

export function PackagesTable({ imageId, version, describe }: { imageId: ImageId; version: number; describe: DescribeLayer }) {
  const q = useEngineQuery('packages', { imageId }, version);
  const [sort, setSort] = useState<{ col: Column; desc: boolean }>({ col: 'bytes', desc: true });
  const [layer, setLayer] = useState<number | 'all'>('all');
  const [text, setText] = useState('');
  const [all, setAll] = useState(false);
  const pkgs = q.data?.packages;

  const layers = useMemo(() => [...new Set((pkgs ?? []).map((p) => p.layer))].sort((a, b) => a - b), [pkgs]);
  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const kept = (pkgs ?? []).filter((p) => (layer === 'all' || p.layer === layer) && (!needle || p.name.toLowerCase().includes(needle)));
    const sign = sort.desc ? -1 : 1;
    return kept.sort((a, b) => sign * compare(a, b, sort.col) || a.name.localeCompare(b.name));
  }, [pkgs, layer, text, sort]);
  const byEco = useMemo(() => {
    const m = new Map<string, number>();
    for (const p of pkgs ?? []) m.set(p.ecosystem, (m.get(p.ecosystem) ?? 0) + 1);
    return [...m.entries()].map(([e, n]) => `${n} ${e}`).join(' · ');
  }, [pkgs]);

  const clickSort = (col: Column, numeric: boolean) =>
    setSort((s) => (s.col === col ? { col, desc: !s.desc } : { col, desc: numeric }));
  const unowned = q.data?.unowned;
  const showUnowned = unowned && unowned.files > 0 && layer === 'all' && !text.trim();
  const shown = all ? rows : rows.slice(0, PAGE);

  return (
    <section className="size-section" aria-label="Packages">
      <header className="size-head">
        <h3>Packages</h3>
        <span className="muted size-head-note">{pkgs ? `${formatCount(pkgs.length)} installed${byEco ? ` (${byEco})` : ''}` : '…'}</span>
        <span className="spacer" />
        <input type="search" placeholder="Filter packages" value={text} onChange={(e) => setText(e.target.value)}
          aria-label="Filter packages by name" data-testid="packages.filter" />
        <select value={layer} onChange={(e) => setLayer(e.target.value === 'all' ? 'all' : Number(e.target.value))}
          aria-label="Installed by layer" data-testid="packages.layer">
          <option value="all">All layers</option>
          {layers.map((l) => <option key={l} value={l}>{describe(l).slice(0, 60)}</option>)}
        </select>
      </header>
      <div className="pk-scroll">
        <table className="pk-table" data-testid="packages.table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.id} className={c.numeric ? 'num' : ''} aria-sort={sort.col === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                  <button className="pk-sort" data-testid="packages.sort" data-column={c.id} onClick={() => clickSort(c.id, c.numeric)}>
                    {c.label}<span className="pk-arrow" aria-hidden>{sort.col === c.id ? (sort.desc ? '▼' : '▲') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={`${p.ecosystem}:${p.name}:${p.source}`} data-testid="packages.row" data-name={p.name} title={p.source}>
                <td className="pk-name">{p.name}</td>
                <td className="pk-version">{p.version}</td>
                <td><span className={`pk-eco eco-${p.ecosystem}`}>{p.ecosystem}</span></td>
                <td className="num" data-testid="packages.bytes">
                  {p.files === 0 && p.installedSize ? <span className="muted" title="dpkg's Installed-Size: no file list survives">≈{formatBytes(p.installedSize)}</span> : formatBytes(p.bytes)}
                </td>
                <td className="num">{formatCount(p.files)}</td>
                <td className="num pk-layer" title={describe(p.layer)}>
                  <span className="tm-swatch" style={{ background: layerColor(p.layer) }} aria-hidden />{p.layer}
                </td>
              </tr>
            ))}
            {showUnowned && (
              <tr className="pk-unowned" data-testid="packages.unowned" title="Regular files of the final filesystem that no package database lists">
                <td className="pk-name" colSpan={3}>Unowned files <span className="muted">(no package lists them)</span></td>
                <td className="num">{formatBytes(unowned.bytes)}</td>
                <td className="num">{formatCount(unowned.files)}</td>
                <td className="num muted">—</td>
              </tr>
            )}
          </tbody>
        </table>
        {pkgs && rows.length === 0 && <p className="muted size-note">{pkgs.length === 0 ? 'No package database found in this image.' : 'No package matches.'}</p>}
        {!all && rows.length > PAGE && <button className="ghost small" onClick={() => setAll(true)}>Show all {formatCount(rows.length)}</button>}
      </div>
      {q.error && <p className="size-error">{q.error}</p>}
      {q.data && q.data.warnings.length > 0 && (
        <details className="size-note muted"><summary>{q.data.warnings.length} note{q.data.warnings.length === 1 ? '' : 's'} from the package databases</summary>
          <ul>{q.data.warnings.slice(0, 50).map((w, i) => <li key={i}>{w.message}</li>)}</ul>
        </details>
      )}
    </section>
  );
}
