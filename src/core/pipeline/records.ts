// An image's records from its plan and config, and the facts reading each layer established
// (compression, sizes, files, verification): computed here once, for the page's events, the
// records the session and the report hold, and the CLI's table.

import { createSha256 } from '../codec';
import { parseConfig, layerCommands } from '../image/config';
import { parseJson } from '../image/json';
import type { ImagePlan } from '../image/layout';
import type { ImageRecord, IndexedLayer, LayerFacts, LayerRecord } from '../image/model';
import type { ImageSource } from '../source/types';
import { toImageId, toLayerKey, type Verification, type Warning } from '../types';
import type { LayerResult } from './index-layer';

export interface LoadedImage {
  record: ImageRecord;
  layers: IndexedLayer[];
}

export interface BuiltImage { record: ImageRecord; plan: ImagePlan }

export async function buildRecord(plan: ImagePlan, i: number, source: ImageSource, warnings: Warning[], signal?: AbortSignal): Promise<BuiltImage> {
  const bytes = await source.read(plan.configEntry, signal);
  if (plan.configDigest) {
    const h = await createSha256();
    h.update(bytes);
    if (h.digest() !== plan.configDigest) {
      warnings.push({ code: 'config-digest-mismatch', entry: plan.configEntry, message: `config ${plan.configEntry} does not hash to ${plan.configDigest}` });
    }
  }
  const config = parseConfig(parseJson(bytes, plan.configEntry), plan.configEntry);
  if (config.historyMismatch) warnings.push({ code: 'history-mismatch', entry: plan.configEntry, message: config.historyMismatch });
  if (config.diffIds.length !== plan.layers.length) {
    warnings.push({ code: 'diff-ids-mismatch', entry: plan.configEntry, message: `config lists ${config.diffIds.length} diff_ids for ${plan.layers.length} layers` });
  }
  const commands = layerCommands(config.history, plan.layers.length);
  const layers: LayerRecord[] = plan.layers.map((l, j) => {
    const diffId = config.diffIds[j];
    return {
      index: j,
      key: toLayerKey(diffId ?? l.digest ?? l.entry),
      ...(diffId ? { diffId } : {}),
      ...(l.digest ? { digest: l.digest } : {}),
      ...(l.mediaType ? { mediaType: l.mediaType } : {}),
      compression: 'none',
      compressedSize: source.layer(l).size,
      command: commands[j] ?? '',
      verification: 'unverifiable',
    };
  });
  const platform = plan.platform ?? config.platform;
  return {
    plan,
    record: {
      id: toImageId(plan.configDigest ?? `image-${i}`),
      tags: plan.tags,
      ...(platform ? { platform } : {}),
      ...(plan.configDigest ? { configDigest: plan.configDigest } : {}),
      ...(plan.manifestDigest ? { manifestDigest: plan.manifestDigest } : {}),
      config: config.view,
      history: config.history,
      layers,
    },
  };
}

/** What a layer's result says about it, checked against the digests its image names. */
export function layerFacts(record: LayerRecord, blobDigest: string | undefined, r: LayerResult): LayerFacts {
  return { compression: r.compression, uncompressedSize: r.uncompressedSize, files: r.files, verification: verify(record, blobDigest, r) };
}

/** A layer is verified when every digest we can check matches, and at least one could be. */
function verify(record: LayerRecord, blobDigest: string | undefined, r: LayerResult): Verification {
  if (!r.hashed) return 'unverifiable';
  const checks: boolean[] = [];
  if (record.diffId) checks.push(r.complete && r.diffId === record.diffId);
  if (blobDigest) checks.push(r.complete && r.blobDigest === blobDigest);
  if (checks.length === 0) return r.complete ? 'unverifiable' : 'mismatch';
  return checks.every(Boolean) ? 'verified' : 'mismatch';
}

export function mismatchMessage(record: LayerRecord, blobDigest: string | undefined, r: LayerResult): string {
  if (!r.complete) return `layer ${record.index} could not be read to the end, so its digest cannot match`;
  if (record.diffId && r.diffId !== record.diffId) return `layer ${record.index}: uncompressed content hashes to ${r.diffId}, but the config's diff_id is ${record.diffId}`;
  return `layer ${record.index}: stored blob hashes to ${r.blobDigest}, but the manifest says ${blobDigest}`;
}

/** The image with the facts of every layer read so far; the records it was built from stay as they were. */
export function attach(img: BuiltImage, results: Map<string, LayerResult>): LoadedImage {
  const records = img.record.layers.map((record) => {
    const r = results.get(record.key);
    return r ? { ...record, ...layerFacts(record, img.plan.layers[record.index]?.digest, r) } : record;
  });
  const layers: IndexedLayer[] = [];
  for (const record of records) {
    const r = results.get(record.key);
    if (r) layers.push({ ...record, files: r.files, entries: r.entries });
  }
  return { record: { ...img.record, layers: records }, layers };
}
