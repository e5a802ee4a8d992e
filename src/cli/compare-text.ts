// The comparison as the terminal summary: what changed, largest first, every name from the images
// passed through quoteForTerminal.

import { formatBytes, quoteForTerminal as q, trimCommand } from '../core/format';
import { byteDelta, largestPaths, type CompareReport } from '../core/compare';

const LIST = 15;

const delta = (n: number) => (n > 0 ? `+${formatBytes(n)}` : n < 0 ? `-${formatBytes(-n)}` : '0');
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const more = (total: number, shown: number, what: string) => (total > shown ? [`  … ${total - shown} more ${what} (--json or --markdown for all)`] : []);

export function compareText(r: CompareReport): string {
  const out: string[] = [];
  out.push(`A: ${q(r.a.name)} [${q(r.a.platform)}] ${formatBytes(r.a.sizeBytes)}, ${r.a.layers} layers${r.a.configDigest ? `, config ${r.a.configDigest.slice(0, 19)}` : ''}`);
  out.push(`B: ${q(r.b.name)} [${q(r.b.platform)}] ${formatBytes(r.b.sizeBytes)}, ${r.b.layers} layers${r.b.configDigest ? `, config ${r.b.configDigest.slice(0, 19)}` : ''}`);
  out.push(r.same ? 'same files, packages, config and history' : `B is ${delta(r.b.sizeBytes - r.a.sizeBytes)} against A`);
  out.push(`pull: B given A ${formatBytes(r.pull.bytesForBGivenA)} (${r.pull.layersForBGivenA} layers), A given B ${formatBytes(r.pull.bytesForAGivenB)} (${r.pull.layersForAGivenB} layers)`);
  const x = r.rebuilt;
  if (x.firstChangedStep) {
    const at = x.firstChangedStep.layer === null ? '' : ` (layer ${x.firstChangedStep.layer})`;
    out.push(`rebuilt by this update: ${x.layers.length} layers, ${formatBytes(x.storedBytes)} stored (${formatBytes(x.sizeBytes)} unpacked), from B's step ${q(cut(trimCommand(x.firstChangedStep.command), 80))}${at} up${x.unchangedLayers ? `; ${x.unchangedLayers} rebuilt layer${x.unchangedLayers === 1 ? '' : 's'} came out identical` : ''}`);
    for (const l of x.layers) out.push(`  ${String(l.index).padStart(3)} ${formatBytes(l.compressedSize ?? undefined).padStart(10)}  ${formatBytes(l.sizeBytes).padStart(10)}   ${q(cut(trimCommand(l.command), 80))}`);
  }
  out.push('', 'layers:', '   A   B  relation      size A      size B   step');
  for (const l of r.layers) {
    const idx = (s: typeof l.a) => (s ? String(s.index) : '-').padStart(3);
    const size = (s: typeof l.a) => (s ? formatBytes(s.sizeBytes) : '').padStart(10);
    out.push(` ${idx(l.a)} ${idx(l.b)}  ${l.relation.padEnd(12)} ${size(l.a)}  ${size(l.b)}   ${q(cut(trimCommand((l.b ?? l.a)!.command), 80))}`);
  }
  const f = r.files;
  out.push('', `files: ${f.added} added (${formatBytes(f.addedBytes)}), ${f.removed} removed (${formatBytes(f.removedBytes)}), ${f.changed} changed (${formatBytes(f.changedBytesA)} -> ${formatBytes(f.changedBytesB)}), ${f.metadata} metadata only${f.ignored ? `, ${f.ignored} ignored` : ''}`);
  const bySize = largestPaths(r.paths);
  for (const p of bySize.slice(0, LIST)) {
    out.push(`  ${p.change.padEnd(8)} ${p.type} ${delta(byteDelta(p)).padStart(11)}  /${q(cut(p.path, 120))}`);
  }
  out.push(...more(bySize.length, LIST, 'paths'));
  if (r.directories.length) {
    out.push('', 'directories (largest change first):');
    for (const d of r.directories.slice(0, LIST)) out.push(`  ${delta(d.delta).padStart(11)}  ${formatBytes(d.sizeA).padStart(10)} -> ${formatBytes(d.sizeB).padEnd(10)}  /${q(cut(d.path, 120))}`);
    out.push(...more(r.directories.length, LIST, 'directories'));
  }
  if (r.packages.length) {
    out.push('', 'packages:');
    for (const p of r.packages.slice(0, LIST)) {
      out.push(`  ${p.change.padEnd(10)} ${p.ecosystem.padEnd(5)} ${q(p.name)} ${q(p.versionA ?? '')}${p.versionA && p.versionB ? ' -> ' : ''}${q(p.versionB ?? '')}  ${delta((p.bytesB ?? 0) - (p.bytesA ?? 0))}`);
    }
    out.push(...more(r.packages.length, LIST, 'packages'));
  }
  if (r.config.length) {
    out.push('', 'config:');
    const v = (x: string | string[] | null) => (x === null ? '(unset)' : q(cut(typeof x === 'string' ? x : JSON.stringify(x), 100)));
    for (const c of r.config) out.push(`  ${q(c.field)}: ${v(c.a)} -> ${v(c.b)}`);
  }
  if (r.history.length) {
    out.push('', 'history:');
    for (const h of r.history) out.push(`  ${h.change === 'added' ? '+' : '-'} ${q(cut(trimCommand(h.createdBy), 120))}`);
  }
  const g = r.growth;
  if (g.packages.length + g.directories.length + g.layers.length > 0) {
    out.push('', 'what made B bigger:');
    if (g.packages.length) out.push(`  packages: ${g.packages.map((p) => `${q(p.name)} ${delta(p.delta)}`).join(', ')}`);
    if (g.directories.length) out.push(`  directories: ${g.directories.map((d) => `/${q(d.path)} ${delta(d.delta)}`).join(', ')}`);
    if (g.layers.length) out.push(`  layers: ${g.layers.map((l) => `#${l.index} ${delta(l.delta)}`).join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
