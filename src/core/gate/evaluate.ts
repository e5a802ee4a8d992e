// One gate run: every listed rule over the image's figures, counted as dive's evaluator counts
// them (Total = rules listed; a disabled rule is Skipped; the gate fails on any FAIL, never on WARN).

import { gateFigures, type GateFigures, type GateScope } from './figures';
import type { GateRule, RuleOutcome } from './rules';
import type { ImageAnalysisResult } from '../analysis/analyse-image';
import type { BaselineFigures } from './baseline';

export interface GateTally {
  total: number;
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
}

export interface GateResult {
  result: 'pass' | 'fail';
  tally: GateTally;
  /** Sorted by key, as dive prints them. */
  rules: RuleOutcome[];
  figures: GateFigures;
}

/** The rules the report lists: dive's three always, ours once configured. */
export function listedRules(rules: readonly GateRule[]): GateRule[] {
  return rules.filter((r) => r.dive || r.configured);
}

/** `baseline`: the figures against `--baseline IMAGE` (baselineFigures over the compare report). */
export function evaluateGate(analysis: ImageAnalysisResult, rules: readonly GateRule[], scope: GateScope = {}, baseline?: BaselineFigures): GateResult {
  return evaluateFigures(gateFigures(analysis, scope, baseline), rules);
}

export function evaluateFigures(figures: GateFigures, rules: readonly GateRule[]): GateResult {
  const outcomes = listedRules(rules).map((r) => r.evaluate(figures));
  outcomes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const count = (s: RuleOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  const tally = { total: outcomes.length, passed: count('pass'), failed: count('fail'), warned: count('warn'), skipped: count('skip') };
  return { result: tally.failed > 0 ? 'fail' : 'pass', tally, rules: outcomes, figures };
}
