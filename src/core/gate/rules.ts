// The gate's rules, after dive's runtime/ci (Rule.Evaluate over the analysis): dive's three with
// dive's definitions, defaults and messages, then ours. Semantics kept from dive's code:
//  - a rule is configured by text (viper's GetString); only `disabled` turns it off;
//  - ratios go through strconv.ParseFloat and must lie in [0, 1]; bytes through go-humanize;
//  - comparisons are strict: a value exactly at its threshold passes;
//  - messages print floats with Go's %v (full precision) and byte counts as integers.
// Ours add a `warn` level (a WARN result instead of a FAIL) and, for the percentage rules, a byte
// floor: below it a ratio over its threshold still passes (a 30 % waste of 10 kB is noise). The
// baseline rules (highestGrowth*, highestNewPackages, highestDirectoryGrowthBytes) judge the
// figures of `--baseline IMAGE` against this image, taken from the compare report (baseline.ts).

import { CACHE_KINDS, type GateFigures } from './figures';
import { goFloat, goParseFloat } from './go-format';
import { parseBytes } from './humanize';
import type { FindingKind } from '../findings';

export type RuleStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface RuleOutcome {
  key: string;
  status: RuleStatus;
  /** The figure judged (ratio, bytes or count); null when it has no finite value. */
  value: number | null;
  /** The configured threshold; null when the rule is disabled. */
  threshold: number | null;
  /** dive's message on failure, 'rule disabled' when skipped, '' or a note on a pass. */
  message: string;
}

export interface Rule {
  readonly key: string;
  /** dive's own rules are always listed; ours only when configured. */
  readonly dive: boolean;
  readonly defaultValue: string;
  /** Sets the rule's text; returns what is wrong with it (dive's validation message), if anything. */
  configure(value: string): string | undefined;
  /** `warn`: a broken threshold is reported as WARN and does not fail the gate. */
  level: 'fail' | 'warn';
  readonly enabled: boolean;
  evaluate(f: GateFigures): RuleOutcome;
}

// ratio-min/max: a float in [0, 1]; growth: a float >= 0 (a ratio that can pass 1: doubling is 1).
type Kind = 'ratio-min' | 'ratio-max' | 'growth' | 'bytes' | 'count';

interface Spec {
  key: string;
  kind: Kind;
  dive?: boolean;
  defaultValue?: string;
  /** Percentage rules take a byte floor (`<key>Floor`): below it a broken ratio still passes. */
  floor?: boolean;
  /** The bytes the floor is compared with (default: wasted bytes). */
  floorFigure?(f: GateFigures): number;
  /** Judged against `--baseline IMAGE`: skipped without one. */
  baseline?: boolean;
  /** What a count counts, for the message on a bad value (`layers`). */
  unit?: string;
  figure(f: GateFigures): number | null;
  message(value: string, threshold: string, f: GateFigures): string;
}

const findingBytes = (f: GateFigures, kinds: readonly FindingKind[]) =>
  f.findings.reduce((s, x) => s + (kinds.includes(x.kind) ? x.bytes : 0), 0);

/** Go's %v of a uint64 that came from a float64 (go-humanize): every digit, never an exponent. */
const uint = (n: number) => BigInt(n).toString();

const SPECS: Spec[] = [
  {
    key: 'lowestEfficiency', kind: 'ratio-min', dive: true, defaultValue: '0.9', floor: true,
    figure: (f) => f.efficiency,
    message: (v, t) => `image efficiency is too low (efficiency=${v} < threshold=${t})`,
  },
  {
    key: 'highestWastedBytes', kind: 'bytes', dive: true, defaultValue: 'disabled',
    figure: (f) => f.wastedBytes,
    message: (v, t) => `too many bytes wasted (wasted-bytes=${v} > threshold=${t})`,
  },
  {
    key: 'highestUserWastedPercent', kind: 'ratio-max', dive: true, defaultValue: '0.1', floor: true,
    figure: (f) => f.userWastedPercent,
    message: (v, t, f) => v === 'null'
      ? `too many bytes wasted, relative to the user bytes added (wasted-bytes=${f.wastedBytes} with 0 user bytes > threshold=${t})`
      : `too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=${v} > threshold=${t})`,
  },
  {
    key: 'highestReclaimableBytes', kind: 'bytes',
    figure: (f) => f.reclaimableBytes,
    message: (v, t) => `too many reclaimable bytes (reclaimable-bytes=${v} > threshold=${t})`,
  },
  {
    key: 'highestSizeBytes', kind: 'bytes',
    figure: (f) => f.sizeBytes,
    message: (v, t) => `image is too large (size-bytes=${v} > threshold=${t})`,
  },
  {
    key: 'highestLayerCount', kind: 'count', unit: 'layers',
    figure: (f) => f.layerCount,
    message: (v, t) => `too many layers (layers=${v} > threshold=${t})`,
  },
  {
    key: 'highestCacheBytes', kind: 'bytes',
    figure: (f) => findingBytes(f, CACHE_KINDS),
    message: (v, t) => `package manager caches left in the image (cache-bytes=${v} > threshold=${t})`,
  },
  {
    key: 'highestDuplicateBytes', kind: 'bytes',
    figure: (f) => findingBytes(f, ['duplicate-content']),
    message: (v, t) => `files shipped twice with the same content (duplicate-bytes=${v} > threshold=${t})`,
  },
  {
    // The ML findings give CUDA libraries twice (site-packages/nvidia beside a system CUDA) their
    // own kind, which replaces duplicate-content for those files (issue #17), so they need a rule.
    key: 'highestCudaDuplicateBytes', kind: 'bytes',
    figure: (f) => findingBytes(f, ['cuda-duplicate']),
    message: (v, t) => `CUDA libraries shipped twice (cuda-duplicate-bytes=${v} > threshold=${t})`,
  },
  {
    key: 'highestCudaDevelBytes', kind: 'bytes',
    figure: (f) => findingBytes(f, ['cuda-devel']),
    message: (v, t) => `CUDA development files in the image (cuda-devel-bytes=${v} > threshold=${t})`,
  },
  {
    key: 'highestModelWeightsBytes', kind: 'bytes',
    figure: (f) => findingBytes(f, ['model-weights']),
    message: (v, t) => `model weights baked into the image (model-weights-bytes=${v} > threshold=${t})`,
  },
  {
    key: 'highestGrowthBytes', kind: 'bytes', baseline: true,
    figure: (f) => f.baseline?.growthBytes ?? null,
    message: (v, t, f) => `image grew too much against the baseline ${f.baseline!.name} (growth-bytes=${v} > threshold=${t})`,
  },
  {
    key: 'highestGrowthPercent', kind: 'growth', baseline: true, floor: true,
    figure: (f) => f.baseline?.growthPercent ?? null,
    floorFigure: (f) => f.baseline?.growthBytes ?? 0,
    message: (v, t, f) => v === 'null'
      ? `image grew from nothing against the baseline ${f.baseline!.name} (growth-bytes=${uint(f.baseline!.growthBytes)} with a baseline of 0 bytes > threshold=${t})`
      : `image grew too much against the baseline ${f.baseline!.name} (%-growth=${v} > threshold=${t})`,
  },
  {
    key: 'highestNewPackages', kind: 'count', baseline: true, unit: 'packages',
    figure: (f) => f.baseline?.newPackages.length ?? null,
    message: (v, t, f) => {
      const names = f.baseline!.newPackages.slice(0, 5).map((p) => `${p.ecosystem}:${p.name}${p.version ? ` ${p.version}` : ''}`).join(', ');
      return `too many packages added since the baseline ${f.baseline!.name} (new-packages=${v} > threshold=${t}: ${names}${Number(v) > 5 ? ', ...' : ''})`;
    },
  },
  {
    key: 'highestDirectoryGrowthBytes', kind: 'bytes', baseline: true,
    figure: (f) => (f.baseline ? f.baseline.directoryGrowth?.delta ?? 0 : null),
    message: (v, t, f) => `a directory grew too much against the baseline ${f.baseline!.name} (/${f.baseline!.directoryGrowth?.path ?? ''} grew by ${v} bytes > threshold=${t})`,
  },
];

export const RULE_KEYS: readonly string[] = SPECS.map((s) => s.key);
export const FLOOR_KEYS: readonly string[] = SPECS.filter((s) => s.floor).map((s) => `${s.key}Floor`);

/** A fresh set of rules at their defaults, in dive's report order (sorted by key). */
export function createRules(): GateRule[] {
  return SPECS.map((s) => new GateRule(s)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export class GateRule implements Rule {
  readonly key: string;
  readonly dive: boolean;
  readonly defaultValue: string;
  level: 'fail' | 'warn' = 'fail';
  /** Set when the config or a flag named the rule (ours are listed only then). */
  configured = false;
  private text: string;
  private threshold: number | null = null;
  private floor: number | undefined;

  constructor(private readonly spec: Spec) {
    this.key = spec.key;
    this.dive = spec.dive ?? false;
    this.defaultValue = spec.defaultValue ?? 'disabled';
    this.text = this.defaultValue;
    this.configure(this.text);
  }

  get enabled(): boolean {
    return this.text !== 'disabled';
  }

  get hasFloor(): boolean {
    return this.spec.floor ?? false;
  }

  /** Needs `--baseline IMAGE`. */
  get needsBaseline(): boolean {
    return this.spec.baseline ?? false;
  }

  configure(value: string): string | undefined {
    this.text = value;
    this.threshold = null;
    if (value === 'disabled') return undefined;
    const parsed = parseThreshold(this.spec, value);
    if (typeof parsed === 'string') return parsed;
    this.threshold = parsed;
    return undefined;
  }

  configureFloor(value: string): string | undefined {
    if (value === 'disabled') { this.floor = undefined; return undefined; }
    const b = parseBytes(value);
    if (!b.ok) return `invalid config value ('${value}'): ${b.error}`;
    this.floor = b.bytes;
    return undefined;
  }

  evaluate(f: GateFigures): RuleOutcome {
    const raw = this.spec.figure(f);
    const value = raw !== null && Number.isFinite(raw) ? raw : null;
    const out = { key: this.key, value, threshold: this.threshold };
    if (this.threshold === null) return { ...out, status: 'skip', message: 'rule disabled' };
    // A rule from the config file with no baseline given (a first release, a branch build): the
    // file is shared by every run, so the rule is skipped, saying why. On the command line the
    // same rule without --baseline is refused by loadGateConfig (exit 2).
    if (this.spec.baseline && !f.baseline) return { ...out, status: 'skip', message: 'no baseline image to compare with (give --baseline IMAGE)' };
    const t = this.threshold;
    const broken = this.spec.kind === 'ratio-min' ? value !== null && t > value : value === null || value > t;
    if (!broken) return { ...out, status: 'pass', message: '' };
    const ratio = this.spec.kind !== 'bytes' && this.spec.kind !== 'count';
    const show = (n: number | null) => (n === null ? 'null' : ratio ? goFloat(n) : uint(n));
    const message = this.spec.message(show(value), show(t), f);
    const floorBytes = this.spec.floorFigure?.(f) ?? f.wastedBytes;
    if (this.floor !== undefined && floorBytes <= this.floor) {
      const what = this.spec.floorFigure ? 'growth-bytes' : 'wasted-bytes';
      return { ...out, status: 'pass', message: `within the floor: ${message}, but ${what}=${floorBytes} <= floor=${uint(this.floor)}` };
    }
    return { ...out, status: this.level, message };
  }
}

/** dive's validation: the message it gives for a value it cannot use, or the threshold. */
function parseThreshold(spec: Spec, value: string): number | string {
  if (spec.kind === 'bytes') {
    const b = parseBytes(value);
    return b.ok ? b.bytes : `invalid config value ('${value}'): ${b.error}`;
  }
  if (spec.kind === 'count') {
    if (!/^[0-9]+$/.test(value)) return `invalid config value ('${value}'): expected a whole number${spec.unit ? ` of ${spec.unit}` : ''}`;
    return Number(value);
  }
  const f = goParseFloat(value);
  if (!f.ok) return `invalid config value ('${value}'): ${f.error}`;
  // dive lets NaN through its range check, and a NaN threshold then passes every image: refused.
  if (Number.isNaN(f.value)) return `${spec.key} config value is not a number, given '${value}'`;
  if (spec.kind === 'growth') {
    return f.value >= 0 && Number.isFinite(f.value) ? f.value : `${spec.key} config value must be a ratio of 0 or more (1 = doubled), given '${value}'`;
  }
  if (f.value < 0 || f.value > 1) return `${spec.key} config value is outside allowed range (0-1), given '${value}'`;
  return f.value;
}
