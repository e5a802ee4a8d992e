// The image config (OCI image-spec, "Image Configuration"; Docker's is a superset): the parts we
// show, the diff_ids that identify layers, and the history mapped onto layers.

import { isDigest, type Digest, type Platform } from '../types';
import { field, isObject, keysOf, pairsOf, str, strings, arr, FormatError } from './json';
import type { HistoryStep, ImageConfigView } from './model';

export interface ParsedConfig {
  view: ImageConfigView;
  diffIds: Digest[];
  platform?: Platform;
  history: HistoryStep[];
  /** Set when history and layers disagree in count: commands are then matched bottom-up. */
  historyMismatch?: string;
}

export function parseConfig(doc: unknown, entry: string): ParsedConfig {
  if (!isObject(doc)) throw new FormatError(`${entry}: image config is not a JSON object`, entry);
  const rootfs = field(doc, 'rootfs');
  const diffIds = strings(rootfs, 'diff_ids');
  const bad = diffIds.find((d) => !isDigest(d));
  if (bad !== undefined) throw new FormatError(`${entry}: rootfs.diff_ids holds "${bad.slice(0, 80)}", not a sha256 digest`, entry);
  const c = field(doc, 'config') ?? field(doc, 'container_config');
  const os = str(doc, 'os');
  const architecture = str(doc, 'architecture');
  const variant = str(doc, 'variant');
  const { history, mismatch } = mapHistory(arr(doc, 'history'), diffIds.length);
  return {
    view: {
      env: strings(c, 'Env'),
      cmd: Array.isArray(field(c, 'Cmd')) ? strings(c, 'Cmd') : null,
      entrypoint: Array.isArray(field(c, 'Entrypoint')) ? strings(c, 'Entrypoint') : null,
      workingDir: str(c, 'WorkingDir') ?? '',
      user: str(c, 'User') ?? '',
      exposedPorts: keysOf(c, 'ExposedPorts'),
      volumes: keysOf(c, 'Volumes'),
      labels: pairsOf(c, 'Labels'),
      created: str(doc, 'created'),
      author: str(doc, 'author'),
      stopSignal: str(c, 'StopSignal'),
    },
    diffIds: diffIds as Digest[],
    platform: os && architecture ? { os, architecture, ...(variant ? { variant } : {}) } : undefined,
    history,
    historyMismatch: mismatch,
  };
}

/**
 * Each non-empty history step produced the next layer, in order (image-spec: `empty_layer` marks
 * steps that made none). When the counts disagree (some builders omit history), the steps are
 * still shown and layers without a step get no command.
 */
function mapHistory(raw: unknown[], layerCount: number): { history: HistoryStep[]; mismatch?: string } {
  const history: HistoryStep[] = [];
  let next = 0;
  for (const h of raw) {
    if (!isObject(h)) continue;
    const emptyLayer = field(h, 'empty_layer') === true;
    const step: HistoryStep = {
      createdBy: str(h, 'created_by') ?? '',
      emptyLayer,
      layer: null,
      ...(str(h, 'created') ? { created: str(h, 'created') } : {}),
      ...(str(h, 'comment') ? { comment: str(h, 'comment') } : {}),
    };
    if (!emptyLayer) step.layer = next < layerCount ? next++ : null;
    history.push(step);
  }
  const nonEmpty = history.filter((s) => !s.emptyLayer).length;
  const mismatch = raw.length > 0 && nonEmpty !== layerCount
    ? `history has ${nonEmpty} layer-producing steps for ${layerCount} layers`
    : undefined;
  return { history, mismatch };
}

/** The command of each layer, from history ('' when unknown). */
export function layerCommands(history: HistoryStep[], layerCount: number): string[] {
  const out = new Array<string>(layerCount).fill('');
  for (const s of history) if (s.layer !== null) out[s.layer] = s.createdBy;
  return out;
}


/** dive's `command` field: the history step with the shell prefix trimmed (dive's image adapter). */
export function diveCommand(createdBy: string): string {
  return createdBy.startsWith('/bin/sh -c ') ? createdBy.slice('/bin/sh -c '.length) : createdBy;
}
