// GitHub Actions output: workflow commands (`::error title=...::message`) for the rules that broke,
// worst first, and a markdown step summary. GitHub shows at most 10 error and 10 warning
// annotations per step and refuses a step summary over 1 MiB, so we emit at most 10 annotations
// and keep the summary under SUMMARY_LIMIT bytes. Escaping follows the Actions toolkit's command
// rules: in data `%`, CR and LF become %25, %0D, %0A; in a property also `:` and `,` (%3A, %2C).

import type { GateResult } from './evaluate';
import { goFloat } from './go-format';
import { humanizeBytes } from './humanize';
import { FINDING_TITLES } from './outputs';
import { escapeForTerminal } from './terminal';
import { utf8Length } from '../utf8';

export const MAX_ANNOTATIONS = 10;
/** Bytes; GitHub's limit is 1 MiB (1,048,576) per step summary. */
export const SUMMARY_LIMIT = 1_000_000;

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Escapes what could drive a terminal, keeping line breaks for escapeData to encode. */
function inert(s: string): string {
  return s.split(/(\r\n|\r|\n)/).map((part, i) => (i % 2 ? part : escapeForTerminal(part))).join('');
}

export function workflowCommand(kind: 'error' | 'warning' | 'notice', properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties).map(([k, v]) => `${k}=${escapeProperty(inert(v))}`).join(',');
  // The log viewer is a terminal of sorts: names with escape sequences are shown escaped.
  return `::${kind}${props ? ` ${props}` : ''}::${escapeData(inert(message))}`;
}

/** Broken rules (FAIL before WARN), then the largest findings as notices; at most 10 lines. */
export function githubAnnotations(g: GateResult, image: string): string[] {
  const out: string[] = [];
  const broken = [...g.rules.filter((r) => r.status === 'fail'), ...g.rules.filter((r) => r.status === 'warn')];
  for (const r of broken) {
    out.push(workflowCommand(r.status === 'fail' ? 'error' : 'warning', { title: `strata ci: ${r.key} (${image})` }, r.message));
  }
  for (const f of g.figures.findings) {
    const where = f.paths.length ? `, e.g. /${f.paths[0]}` : '';
    out.push(workflowCommand('notice', { title: `strata: ${FINDING_TITLES[f.kind]}` }, `${humanizeBytes(f.bytes)} in ${f.files} files in layer ${f.layer}${where}. ${f.fix}`));
  }
  return out.slice(0, MAX_ANNOTATIONS);
}

/** Text for a markdown table cell: no line breaks, no markup, no HTML, no control characters. */
export function markdownCell(s: string): string {
  return s
     
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[\\`*_[\]<>|&#!~]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function githubSummary(g: GateResult, image: string): string {
  const f = g.figures;
  const head = [
    `### strata ci: ${markdownCell(image)}: ${g.result === 'fail' ? 'FAIL' : 'PASS'}`,
    '',
    `Total ${g.tally.total}, passed ${g.tally.passed}, failed ${g.tally.failed}, warned ${g.tally.warned}, skipped ${g.tally.skipped}.`,
    '',
    '| Rule | Status | Value | Threshold | Message |',
    '| --- | --- | --- | --- | --- |',
    ...g.rules.map((r) => `| ${r.key} | ${r.status.toUpperCase()} | ${cellNumber(r.value)} | ${cellNumber(r.threshold)} | ${markdownCell(r.message)} |`),
    '',
    `Efficiency ${(f.efficiency * 100).toFixed(4)} %, wasted ${humanizeBytes(f.wastedBytes)}, reclaimable ${humanizeBytes(f.reclaimableBytes)}, size ${humanizeBytes(f.sizeBytes)} in ${f.layerCount} layers.`,
    '',
    ...baselineSummary(f.baseline),
  ];
  const tables: [string, string[]][] = [
    ['| Findings | Bytes | Layer | Largest paths |\n| --- | --- | --- | --- |', f.findings.map((x) => `| ${markdownCell(FINDING_TITLES[x.kind])} | ${humanizeBytes(x.bytes)} | ${x.layer} | ${markdownCell(x.paths.slice(0, 3).map((p) => `/${p}`).join(', '))} |`)],
    ['| Count | Wasted space | Inefficient file |\n| --- | --- | --- |', f.inefficientFiles.map((x) => `| ${x.count} | ${humanizeBytes(x.sizeBytes)} | ${markdownCell(x.path)} |`)],
  ];
  let text = head.join('\n');
  let size = byteLength(text);
  for (const [header, rows] of tables) {
    if (rows.length === 0) continue;
    const block = [`\n${header}`];
    let blockSize = byteLength(block[0]!) + 1;
    let shown = 0;
    for (const row of rows) {
      const n = byteLength(row) + 1;
      // Room for this row and the "more rows" line.
      if (size + blockSize + n + 200 > SUMMARY_LIMIT) break;
      block.push(row);
      blockSize += n;
      shown++;
    }
    if (shown < rows.length) block.push(`\n${rows.length - shown} more rows not shown (step summaries are limited to 1 MiB).`);
    if (shown === 0) continue;
    const s = `${block.join('\n')}\n`;
    text += s;
    size += byteLength(s);
  }
  return `${text}\n`;
}

/** Byte counts and counts in full (Go's %v would print 1.5e+06), ratios at full precision. */
function cellNumber(n: number | null): string {
  if (n === null) return '';
  return Number.isInteger(n) ? BigInt(n).toString() : goFloat(n);
}

function baselineSummary(b: GateResult['figures']['baseline']): string[] {
  if (!b) return [];
  const signed = (n: number) => (n < 0 ? `-${humanizeBytes(-n)}` : `+${humanizeBytes(n)}`);
  const pct = b.growthPercent === null ? '' : ` (${(b.growthPercent * 100).toFixed(2)} %)`;
  const pkgs = b.newPackages.length ? `: ${markdownCell(b.newPackages.slice(0, 10).map((p) => `${p.ecosystem}:${p.name}`).join(', '))}${b.newPackages.length > 10 ? ', ...' : ''}` : '';
  const dir = b.directoryGrowth ? `, most in ${markdownCell(`/${b.directoryGrowth.path}`)} (${signed(b.directoryGrowth.delta)})` : '';
  return [`Against the baseline ${markdownCell(b.name)} (${humanizeBytes(b.sizeBytes)}): ${signed(b.growthBytes)}${pct}${dir}; ${b.newPackages.length} new package${b.newPackages.length === 1 ? '' : 's'}${pkgs}.`, ''];
}

function byteLength(s: string): number {
  return utf8Length(s);
}
