// The comparison as Markdown for a pull-request comment: largest items first, every list cut to
// fit under MARKDOWN_BUDGET bytes (GitHub refuses comments over 65,536 characters).

import { formatBytes, trimCommand } from '../format';
import { largestPaths } from './report';
import type { ComparePathRow, CompareReport } from './types';
import { utf8Length } from '../utf8';

export const MARKDOWN_BUDGET = 60_000;

/** Inline code that survives any name: no backtick run, pipe or newline can break out of it. */
export function mdCode(s: string): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\uFFFD').replace(/\|/g, '\\|');
  const ticks = (clean.match(/`+/g) ?? []).reduce((m, t) => Math.max(m, t.length), 0);
  const fence = '`'.repeat(ticks + 1);
  return `${fence}${ticks ? ' ' : ''}${clean}${ticks ? ' ' : ''}${fence}`;
}

const delta = (n: number) => (n > 0 ? `+${formatBytes(n)}` : n < 0 ? `−${formatBytes(-n)}` : '0');
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function compareMarkdown(r: CompareReport): string {
  // Sorted once: on 224k differing paths each sort takes about a second.
  const bySize = largestPaths(r.paths);
  for (let limit = 200; limit >= 1; limit = Math.floor(limit / 2)) {
    const md = render(r, limit, bySize);
    if (utf8Length(md) <= MARKDOWN_BUDGET) return md;
  }
  return render(r, 0, bySize);
}

function table(head: string[], rows: string[][], total: number, what: string): string[] {
  if (rows.length === 0) return [];
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
  if (total > rows.length) out.push('', `… and ${total - rows.length} more ${what} (see the JSON report).`);
  return [...out, ''];
}

/** "Rebuilt by this update": the first changed step and what it re-ships. */
function rebuiltLines(r: CompareReport, limit: number): string[] {
  const x = r.rebuilt;
  if (!x.firstChangedStep) return [];
  const step = mdCode(cut(trimCommand(x.firstChangedStep.command), 80));
  const at = x.firstChangedStep.layer === null ? '' : ` (layer ${x.firstChangedStep.layer})`;
  const same = x.unchangedLayers ? `; ${x.unchangedLayers} rebuilt layer${x.unchangedLayers === 1 ? '' : 's'} came out identical` : '';
  const n = x.layers.length;
  const what = n === 0 ? 'nothing to push or pull again'
    : `${n} layer${n === 1 ? '' : 's'} (${formatBytes(x.storedBytes)} stored, ${formatBytes(x.sizeBytes)} unpacked) to push and pull again`;
  return [
    `**Rebuilt by this update:** from B's step ${step}${at} up, ${what}${same}.`,
    '',
    ...table(['B', 'step', 'stored', 'size'], x.layers.slice(0, limit).map((l) => [
      String(l.index), mdCode(cut(trimCommand(l.command), 70)), l.compressedSize === null ? '' : formatBytes(l.compressedSize), formatBytes(l.sizeBytes),
    ]), x.layers.length, 'rebuilt layers'),
  ];
}

function render(r: CompareReport, limit: number, bySize: readonly ComparePathRow[]): string {
  const out: string[] = [];
  out.push(`### Image compare: ${mdCode(r.a.name)} → ${mdCode(r.b.name)}`, '');
  out.push(r.same ? 'Files, packages, config and history are the same.' : 'The images differ.', '');
  out.push(...table(['', 'A', 'B', 'Δ'], [
    ['size', formatBytes(r.a.sizeBytes), formatBytes(r.b.sizeBytes), delta(r.b.sizeBytes - r.a.sizeBytes)],
    ['stored', formatBytes(r.a.storedBytes), formatBytes(r.b.storedBytes), delta(r.b.storedBytes - r.a.storedBytes)],
    ['files', String(r.files.countA), String(r.files.countB), String(r.files.countB - r.files.countA)],
    ['layers', String(r.a.layers), String(r.b.layers), String(r.b.layers - r.a.layers)],
  ], 0, ''));
  out.push(`**Pull:** a host holding A downloads ${formatBytes(r.pull.bytesForBGivenA)} (${r.pull.layersForBGivenA} layers) for B; one holding B, ${formatBytes(r.pull.bytesForAGivenB)} for A.`, '');
  out.push(...rebuiltLines(r, limit));
  const g = r.growth;
  if (g.packages.length + g.directories.length + g.layers.length > 0) {
    out.push('**What made B bigger:**', '');
    if (g.packages.length) out.push(`- packages: ${g.packages.map((p) => `${mdCode(p.name)} (${p.ecosystem}) ${delta(p.delta)}`).join(', ')}`);
    if (g.directories.length) out.push(`- directories: ${g.directories.map((d) => `${mdCode(`/${d.path}`)} ${delta(d.delta)}`).join(', ')}`);
    if (g.layers.length) out.push(`- layers: ${g.layers.map((l) => `#${l.index} ${mdCode(cut(trimCommand(l.command), 60))} ${delta(l.delta)}`).join(', ')}`);
    out.push('');
  }
  out.push('#### Layers', '');
  out.push(...table(['A', 'B', 'relation', 'step', 'size A', 'size B'], r.layers.slice(0, limit).map((l) => [
    l.a ? String(l.a.index) : '', l.b ? String(l.b.index) : '', l.relation,
    mdCode(cut(trimCommand((l.b ?? l.a)!.command), 70)),
    l.a ? formatBytes(l.a.sizeBytes) : '', l.b ? formatBytes(l.b.sizeBytes) : '',
  ]), r.layers.length, 'layers'));
  const f = r.files;
  out.push('#### Files', '');
  out.push(`${f.added} added (${formatBytes(f.addedBytes)}), ${f.removed} removed (${formatBytes(f.removedBytes)}), ${f.changed} changed (${formatBytes(f.changedBytesA)} → ${formatBytes(f.changedBytesB)}), ${f.metadata} metadata only${f.ignored ? `; ${f.ignored} ignored` : ''}.`, '');
  out.push(...table(['change', 'path', 'size A', 'size B'], bySize.slice(0, limit).map((p) => [
    p.change, mdCode(cut(`/${p.path}`, 120)), p.sizeA === null ? '' : formatBytes(p.sizeA), p.sizeB === null ? '' : formatBytes(p.sizeB),
  ]), bySize.length, 'paths'));
  out.push('#### Directories', '');
  out.push(...table(['directory', 'size A', 'size B', 'Δ'], r.directories.slice(0, limit).map((d) => [
    mdCode(cut(`/${d.path}`, 120)), formatBytes(d.sizeA), formatBytes(d.sizeB), delta(d.delta),
  ]), r.directories.length, 'directories'));
  if (r.packages.length) {
    out.push('#### Packages', '');
    out.push(...table(['ecosystem', 'package', 'A', 'B', 'change', 'Δ'], r.packages.slice(0, limit).map((p) => [
      p.ecosystem, mdCode(p.name), p.versionA === null ? '' : mdCode(p.versionA), p.versionB === null ? '' : mdCode(p.versionB), p.change,
      delta((p.bytesB ?? 0) - (p.bytesA ?? 0)),
    ]), r.packages.length, 'packages'));
  }
  if (r.config.length) {
    out.push('#### Config', '');
    const v = (x: string | string[] | null) => (x === null ? '' : mdCode(cut(typeof x === 'string' ? x : JSON.stringify(x), 100)));
    out.push(...table(['field', 'A', 'B'], r.config.slice(0, limit).map((c) => [mdCode(c.field), v(c.a), v(c.b)]), r.config.length, 'fields'));
  }
  if (r.history.length) {
    out.push('#### History', '');
    out.push(...table(['', 'step'], r.history.slice(0, limit).map((h) => [h.change === 'added' ? '+' : '−', mdCode(cut(trimCommand(h.createdBy), 100))]), r.history.length, 'steps'));
  }
  return `${out.join('\n').trimEnd()}\n`;
}
