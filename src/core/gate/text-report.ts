// The gate's terminal output, in the shape of dive's CI report so scripts that grep it keep
// working: the three figure lines, the inefficient files table (`%5s  %12s  %-s`), `Results:` with
// one `  STATUS: rule[: message]` line per rule sorted by key, and the `Result:` summary line (or
// `CI Misconfigured`). Colour only when asked (a terminal); every name from the image or the
// config passes through `safe` so no escape sequence in it reaches the terminal.

import type { GateResult } from './evaluate';
import type { ConfigProblem } from './config';
import type { RuleOutcome } from './rules';
import { goFixed } from './go-format';
import { humanizeBytes } from './humanize';
import { escapeForTerminal, quoteForTerminal } from './terminal';

export interface Style {
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  yellow(s: string): string;
  inverse(s: string): string;
}

const plain = (s: string) => s;
export const PLAIN: Style = { bold: plain, red: plain, green: plain, blue: plain, yellow: plain, inverse: plain };
const sgr = (on: string, off: string) => (s: string) => `\x1b[${on}m${s}\x1b[${off}m`;
export const ANSI: Style = {
  bold: sgr('1', '22'), red: sgr('31', '39'), green: sgr('32', '39'), blue: sgr('34', '39'), yellow: sgr('33', '39'), inverse: sgr('7', '27'),
};

/** The figure lines dive prints before its report (`%2.4f %%`, `%d bytes (%s)`). */
export function figureLines(g: GateResult): string[] {
  const f = g.figures;
  const pct = f.userWastedPercent === null ? 'n/a (wasted bytes but no user bytes)' : `${goFixed(f.userWastedPercent * 100, 4)} %`;
  return [
    `  efficiency: ${goFixed(f.efficiency * 100, 4)} %`,
    `  wastedBytes: ${f.wastedBytes} bytes (${humanizeBytes(f.wastedBytes)})`,
    `  userWastedPercent: ${pct}`,
    `  reclaimableBytes: ${f.reclaimableBytes} bytes (${humanizeBytes(f.reclaimableBytes)})`,
    ...baselineLines(g),
  ];
}

/** With `--baseline`: the figures the baseline rules judge, as `npm run compare` computes them. */
export function baselineLines(g: GateResult): string[] {
  const b = g.figures.baseline;
  if (!b) return [];
  const signed = (n: number) => (n < 0 ? `-${humanizeBytes(-n)}` : `+${humanizeBytes(n)}`);
  const pct = b.growthPercent === null ? 'n/a (the baseline has no bytes)' : `${goFixed(b.growthPercent * 100, 4)} %`;
  const names = b.newPackages.slice(0, 5).map((p) => quoteForTerminal(`${p.ecosystem}:${p.name}${p.version ? ` ${p.version}` : ''}`));
  const d = b.directoryGrowth;
  return [
    `  baseline: ${quoteForTerminal(b.name)} (${b.sizeBytes} bytes, ${humanizeBytes(b.sizeBytes)})`,
    `  growthBytes: ${b.growthBytes} bytes (${signed(b.growthBytes)})`,
    `  growthPercent: ${pct}`,
    `  newPackages: ${b.newPackages.length}${names.length ? ` (${names.join(', ')}${b.newPackages.length > names.length ? ', ...' : ''})` : ''}`,
    `  directoryGrowth: ${d ? `${quoteForTerminal(`/${d.path}`)} ${d.delta} bytes (${signed(d.delta)})` : 'none (no directory grew)'}`,
  ];
}

export function inefficientTable(g: GateResult, style: Style = PLAIN): string[] {
  const out = [style.bold('Inefficient Files:'), row('Count', 'Wasted Space', 'File Path')];
  if (g.figures.inefficientFiles.length === 0) out.push('None');
  for (const r of g.figures.inefficientFiles) out.push(row(String(r.count), humanizeBytes(r.sizeBytes), quoteForTerminal(r.path)));
  return out;
}

function row(count: string, size: string, path: string): string {
  return `${count.padStart(5)}  ${size.padStart(12)}  ${path}`;
}

export function statusLabel(status: RuleOutcome['status'], style: Style = PLAIN): string {
  switch (status) {
    case 'pass': return 'PASS';
    case 'fail': return style.bold(style.inverse(style.red('FAIL')));
    case 'warn': return style.yellow('WARN');
    case 'skip': return style.blue('SKIP');
  }
}

export function resultLines(g: GateResult, style: Style = PLAIN): string[] {
  const out = [style.bold('Results:')];
  for (const r of g.rules) {
    const label = statusLabel(r.status, style);
    out.push(r.message ? `  ${label}: ${r.key}: ${escapeForTerminal(r.message)}` : `  ${label}: ${r.key}`);
  }
  const t = g.tally;
  const summary = `Result:${g.result === 'fail' ? 'FAIL' : 'PASS'} [Total:${t.total}] [Passed:${t.passed}] [Failed:${t.failed}] [Warn:${t.warned}] [Skipped:${t.skipped}]`;
  out.push(g.result === 'fail' ? style.red(summary) : t.warned > 0 ? style.yellow(summary) : style.green(summary));
  return out;
}

/** The whole report after the figures: the table, the results, the summary. */
export function gateReport(g: GateResult, style: Style = PLAIN): string {
  return [...inefficientTable(g, style), ...resultLines(g, style)].join('\n');
}

export function misconfiguredReport(problems: readonly ConfigProblem[], style: Style = PLAIN): string {
  const out = [style.bold('Results:')];
  for (const p of problems) {
    out.push(`  ${style.bold(style.inverse(style.red('MISCONFIGURED')))}: ${escapeForTerminal(p.key)}: ${escapeForTerminal(p.message)} (${escapeForTerminal(p.where)})`);
  }
  out.push(style.red('CI Misconfigured'));
  return out.join('\n');
}
