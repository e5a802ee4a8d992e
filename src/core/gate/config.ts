// The gate's configuration: dive's `.dive-ci` (YAML, `rules:` with one value per rule) plus the
// same rules as flags, which win over the file as viper's bound flags do. Keys are matched without
// regard to case (viper lowercases them). Top-level keys dive does not know are ours, so one file
// serves both tools: `warn:` (rules that warn instead of failing), `ignore:` (path globs) and
// `base:` (`layers: N`, or `image: base.tar`, whose layers shared with this image are the base),
// `baseline:` (an earlier image for the growth rules, as `--baseline`).
// Unknown rule keys are reported and skipped (dive skips them silently: a typo would never fail).

import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { goFloatF } from './go-format';
import { createRules, FLOOR_KEYS, type GateRule } from './rules';
import type { GateScope } from './figures';

export interface ConfigProblem {
  /** The key as written (`rules.lowestEfficiency`, `warn`, `--lowestEfficiency`). */
  key: string;
  message: string;
  /** Where: `file:line:col` or `command line`. */
  where: string;
}

export interface GateConfig {
  rules: GateRule[];
  scope: GateScope;
  /** A base image archive to compare layers with (`base: {image: ...}` or `--base`). */
  baseImage?: string;
  /** An earlier image for the growth rules (`baseline: FILE` or `--baseline`). */
  baselineImage?: string;
  /** Rule keys in the file that no rule has (reported, not fatal). */
  unknown: string[];
}

export interface GateFlags {
  /** Rule key (or `<key>Floor`) -> text, from `--<key> VALUE`. */
  rules?: Record<string, string>;
  warn?: readonly string[];
  ignore?: readonly string[];
  baseLayers?: string;
  baseImage?: string;
  baselineImage?: string;
}

export type ConfigResult = { ok: true; config: GateConfig } | { ok: false; problems: ConfigProblem[] };

interface Located { value: unknown; where: string; children?: Map<string, string> }

/** Builds the rules from a `.dive-ci` text (undefined: no file) and the command line's flags. */
export function loadGateConfig(text: string | undefined, file: string, flags: GateFlags = {}): ConfigResult {
  const problems: ConfigProblem[] = [];
  const top = text === undefined ? new Map<string, Located>() : readYaml(text, file, problems);
  const rules = createRules();
  const byKey = new Map(rules.map((r) => [r.key.toLowerCase(), r]));
  const floorKeys = new Set(FLOOR_KEYS.map((k) => k.toLowerCase()));
  const unknown: string[] = [];

  const ruleSection = top.get('rules');
  const fromFile = ruleSection ? section(ruleSection, 'rules', problems) : new Map<string, Located & { key: string }>();
  const setRule = (key: string, raw: Located, shown: string) => {
    const lower = key.toLowerCase();
    const text = valueText(raw.value);
    if (text === null) return; // null: viper falls back to the default
    if (typeof text !== 'string') { problems.push({ key: shown, message: text.error, where: raw.where }); return; }
    if (floorKeys.has(lower)) {
      const rule = byKey.get(lower.slice(0, -'floor'.length))!;
      const err = rule.configureFloor(text);
      if (err) problems.push({ key: shown, message: err, where: raw.where });
      return;
    }
    const rule = byKey.get(lower);
    if (!rule) { unknown.push(shown); return; }
    rule.configured = true;
    const err = rule.configure(text);
    if (err) problems.push({ key: shown, message: err, where: raw.where });
  };
  for (const [lower, v] of fromFile) {
    if (!flags.rules || !Object.keys(flags.rules).some((k) => k.toLowerCase() === lower)) setRule(lower, v, v.key);
  }
  for (const [key, value] of Object.entries(flags.rules ?? {})) setRule(key, { value, where: 'command line' }, `--${key}`);
  const flagged = new Set(Object.keys(flags.rules ?? {}).map((k) => k.toLowerCase()));

  const warn = [...list(top.get('warn'), 'warn', problems), ...(flags.warn ?? []).map((k) => ({ value: k, where: 'command line' }))];
  for (const w of warn) {
    const rule = byKey.get(String(w.value).toLowerCase());
    if (rule) rule.level = 'warn';
    else problems.push({ key: 'warn', message: `no rule named '${String(w.value)}' (rules: ${rules.map((r) => r.key).join(', ')})`, where: w.where });
  }
  const ignore = [...list(top.get('ignore'), 'ignore', problems).map((x) => String(x.value)), ...(flags.ignore ?? [])];
  const scope: GateScope = { ...(ignore.length ? { ignore } : {}) };
  const base = readBase(top.get('base'), flags, problems);
  if (base.layers !== undefined) scope.baseLayers = base.layers;
  const baseline = readBaseline(top.get('baseline'), flags, problems);
  // A baseline rule given as a flag without a baseline is a mistake in that one command line; in
  // the file, which every run shares (a first release has nothing to compare with), it is skipped.
  if (baseline === undefined) {
    for (const r of rules) {
      if (r.needsBaseline && r.enabled && flagged.has(r.key.toLowerCase())) {
        problems.push({ key: `--${r.key}`, message: 'compares with a baseline image: give --baseline IMAGE too (or `baseline: IMAGE` in the config file)', where: 'command line' });
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    config: {
      rules, scope, unknown,
      ...(base.image !== undefined ? { baseImage: base.image } : {}),
      ...(baseline !== undefined ? { baselineImage: baseline } : {}),
    },
  };
}

function readYaml(text: string, file: string, problems: ConfigProblem[]): Map<string, Located> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const out = new Map<string, Located>();
  const at = (offset: number | undefined) => {
    if (offset === undefined) return file;
    const p = lines.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  if (doc.errors.length) {
    for (const e of doc.errors) problems.push({ key: '(file)', message: `not valid YAML: ${e.message.split('\n')[0]}`, where: at(e.pos[0]) });
    return out;
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    problems.push({ key: '(file)', message: `not valid YAML: ${e instanceof Error ? e.message : String(e)}`, where: file });
    return out;
  }
  if (root === null || root === undefined) return out;
  if (typeof root !== 'object' || Array.isArray(root)) {
    problems.push({ key: '(file)', message: 'expected a mapping with a `rules:` key at the top', where: file });
    return out;
  }
  const top = isMap(doc.contents) ? doc.contents : undefined;
  for (const [k, v] of Object.entries(root)) {
    const pair = top?.items.find((p) => isScalar(p.key) && String(p.key.value) === k);
    const keyNode = pair && isScalar(pair.key) ? pair.key : undefined;
    const children = new Map<string, string>();
    if (pair && isMap(pair.value)) {
      for (const c of pair.value.items) if (isScalar(c.key)) children.set(String(c.key.value), at(c.key.range?.[0]));
    }
    out.set(k.toLowerCase(), { value: v, where: at(keyNode?.range?.[0]), children });
  }
  return out;
}

function section(v: Located, name: string, problems: ConfigProblem[]): Map<string, Located & { key: string }> {
  const out = new Map<string, Located & { key: string }>();
  if (v.value === null || v.value === undefined) return out;
  if (typeof v.value !== 'object' || Array.isArray(v.value)) {
    problems.push({ key: name, message: `expected a mapping of rule names to values, got ${describe(v.value)}`, where: v.where });
    return out;
  }
  for (const [k, x] of Object.entries(v.value)) {
    const lower = k.toLowerCase();
    if (out.has(lower)) problems.push({ key: `${name}.${k}`, message: `given twice (as '${out.get(lower)!.key}' and '${k}'; keys ignore case)`, where: v.where });
    out.set(lower, { key: k, value: x, where: v.children?.get(k) ?? v.where });
  }
  return out;
}

function list(v: Located | undefined, name: string, problems: ConfigProblem[]): Located[] {
  if (!v || v.value === null || v.value === undefined) return [];
  const items = Array.isArray(v.value) ? v.value : [v.value];
  const out: Located[] = [];
  for (const x of items) {
    if (typeof x === 'string' && x !== '') out.push({ value: x, where: v.where });
    else problems.push({ key: name, message: `expected a list of strings, got ${describe(x)}`, where: v.where });
  }
  return out;
}

function readBase(v: Located | undefined, flags: GateFlags, problems: ConfigProblem[]): { layers?: number; image?: string } {
  let layers: unknown;
  let image: unknown;
  let where = 'command line';
  if (v && v.value !== null && v.value !== undefined) {
    where = v.where;
    if (typeof v.value !== 'object' || Array.isArray(v.value)) {
      problems.push({ key: 'base', message: `expected \`layers: N\` or \`image: FILE\`, got ${describe(v.value)}`, where });
      return {};
    }
    const m = v.value as Record<string, unknown>;
    for (const k of Object.keys(m)) {
      if (k !== 'layers' && k !== 'image') problems.push({ key: `base.${k}`, message: 'unknown key (base takes `layers` or `image`)', where });
    }
    layers = m.layers;
    image = m.image;
  }
  if (flags.baseLayers !== undefined) { layers = flags.baseLayers; where = 'command line'; }
  if (flags.baseImage !== undefined) { image = flags.baseImage; where = 'command line'; }
  const out: { layers?: number; image?: string } = {};
  if (layers !== undefined && layers !== null) {
    const text = String(layers);
    if (!/^[0-9]+$/.test(text)) problems.push({ key: 'base.layers', message: `expected a whole number of layers, given '${text}'`, where });
    else out.layers = Number(text);
  }
  if (image !== undefined && image !== null) {
    if (typeof image !== 'string' || image === '') problems.push({ key: 'base.image', message: `expected an image archive path, got ${describe(image)}`, where });
    else out.image = image;
  }
  if (out.layers !== undefined && out.image !== undefined) {
    problems.push({ key: 'base', message: 'give either layers or image, not both', where });
  }
  return out;
}

function readBaseline(v: Located | undefined, flags: GateFlags, problems: ConfigProblem[]): string | undefined {
  if (flags.baselineImage !== undefined) {
    if (flags.baselineImage !== '') return flags.baselineImage;
    problems.push({ key: '--baseline', message: 'expected an image archive path or an image reference, got nothing', where: 'command line' });
    return undefined;
  }
  if (!v || v.value === null || v.value === undefined) return undefined;
  if (typeof v.value === 'string' && v.value !== '') return v.value;
  problems.push({ key: 'baseline', message: `expected an image archive path or an image reference, got ${describe(v.value)}`, where: v.where });
  return undefined;
}

/** viper's GetString of a YAML value (cast.ToString): numbers via FormatFloat 'f' -1, booleans as words. */
function valueText(v: unknown): string | null | { error: string } {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFloatF(v);
  if (typeof v === 'boolean') return String(v);
  return { error: `expected a number or a string, got ${describe(v)}` };
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'nothing';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} '${String(v)}'`;
}
