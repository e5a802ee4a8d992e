// The image configs of two images, field by field (OCI image-spec "config": Env, Entrypoint, Cmd,
// User, WorkingDir, ExposedPorts, Volumes, Labels, StopSignal; plus os/architecture), and their
// history steps (an LCS over normalised `created_by`).

import { formatPlatform } from '../types';
import type { HistoryStep, ImageRecord } from '../image/model';
import { lcsPairs } from './lcs';
import { normaliseStep } from './normalise-step';

export type ConfigValue = string | string[] | null;

export interface ConfigDiffRow {
  /** `Cmd`, `Env.MODEL_DIR`, `Labels.org.opencontainers.image.version`, `platform`... */
  field: string;
  a: ConfigValue;
  b: ConfigValue;
}

export interface HistoryDiffRow {
  change: 'added' | 'removed';
  /** The step as recorded (`created_by`), on the side that has it. */
  createdBy: string;
  emptyLayer: boolean;
  /** Position in that side's `config.history`. */
  index: number;
}

function same(a: ConfigValue, b: ConfigValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `K=V` entries by variable; a variable without `=` has the value ''. Later entries win. */
function envMap(env: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env) {
    const eq = e.indexOf('=');
    m.set(eq < 0 ? e : e.slice(0, eq), eq < 0 ? '' : e.slice(eq + 1));
  }
  return m;
}

function keyed(prefix: string, a: Map<string, string>, b: Map<string, string>, out: ConfigDiffRow[]): void {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const k of keys) {
    const va = a.get(k) ?? null;
    const vb = b.get(k) ?? null;
    if (va !== vb) out.push({ field: `${prefix}.${k}`, a: va, b: vb });
  }
}

export function diffConfig(a: ImageRecord, b: ImageRecord): ConfigDiffRow[] {
  const out: ConfigDiffRow[] = [];
  const ca = a.config;
  const cb = b.config;
  const field = (name: string, x: ConfigValue, y: ConfigValue) => { if (!same(x, y)) out.push({ field: name, a: x, b: y }); };
  field('platform', a.platform ? formatPlatform(a.platform) : null, b.platform ? formatPlatform(b.platform) : null);
  field('Entrypoint', ca.entrypoint, cb.entrypoint);
  field('Cmd', ca.cmd, cb.cmd);
  field('User', ca.user, cb.user);
  field('WorkingDir', ca.workingDir, cb.workingDir);
  field('ExposedPorts', [...ca.exposedPorts].sort(), [...cb.exposedPorts].sort());
  field('Volumes', [...ca.volumes].sort(), [...cb.volumes].sort());
  field('StopSignal', ca.stopSignal ?? null, cb.stopSignal ?? null);
  keyed('Env', envMap(ca.env), envMap(cb.env), out);
  keyed('Labels', new Map(ca.labels), new Map(cb.labels), out);
  return out;
}

/** Steps of A that B lacks (removed) and of B that A lacks (added), in history order. */
export function diffHistory(a: readonly HistoryStep[], b: readonly HistoryStep[]): HistoryDiffRow[] {
  const na = a.map((s) => normaliseStep(s.createdBy));
  const nb = b.map((s) => normaliseStep(s.createdBy));
  const pairs = lcsPairs(a.length, b.length, (i, j) => na[i] === nb[j]);
  const out: HistoryDiffRow[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length]]) {
    for (; i < pi!; i++) out.push({ change: 'removed', createdBy: a[i]!.createdBy, emptyLayer: a[i]!.emptyLayer, index: i });
    for (; j < pj!; j++) out.push({ change: 'added', createdBy: b[j]!.createdBy, emptyLayer: b[j]!.emptyLayer, index: j });
    i = pi! + 1;
    j = pj! + 1;
  }
  return out;
}
