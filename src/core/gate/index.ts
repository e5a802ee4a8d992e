// The CI gate: dive's CI rules (and ours) over one image's analysis, with dive's output shape and
// JUnit, SARIF, GitHub and JSON results.

export { loadGateConfig, type ConfigProblem, type ConfigResult, type GateConfig, type GateFlags } from './config';
export { baselineFigures, type BaselineFigures, type BaselineReportView } from './baseline';
export { evaluateGate, evaluateFigures, listedRules, type GateResult, type GateTally } from './evaluate';
export { gateFigures, globToRegExp, pathMatcher, sharedBaseLayers, CACHE_KINDS, type GateFigures, type GateScope, type InefficientFile } from './figures';
export { createRules, FLOOR_KEYS, GateRule, RULE_KEYS, type Rule, type RuleOutcome, type RuleStatus } from './rules';
export { goFixed, goFloat, goFloatF, goParseFloat, goQuote } from './go-format';
export { humanizeBytes, parseBytes } from './humanize';
export { ANSI, PLAIN, figureLines, gateReport, inefficientTable, misconfiguredReport, resultLines, type Style } from './text-report';
export { ciReport, FINDING_TITLES, imageUri, junitReport, sarifReport, xmlEscape } from './outputs';
export { escapeData, escapeProperty, githubAnnotations, githubSummary, markdownCell, workflowCommand, MAX_ANNOTATIONS, SUMMARY_LIMIT } from './github';
export { escapeForTerminal, isTerminalSafe, quoteForTerminal } from './terminal';
