// Read an image archive end to end: recognise it, show its images as soon as manifests and configs
// are read (onSummary), then index every distinct layer once, even when several images share it.
// The same function serves the CLI (in-process) and the engine worker (which passes a runLayer that
// posts Blob slices to a pool of workers).

import { createSha256 } from '../codec';
import { parseConfig, layerCommands } from '../image/config';
import { FormatError, parseJson } from '../image/json';
import { resolveLayout, type ImagePlan } from '../image/layout';
import type { ArchiveSummary, ImageRecord, IndexedLayer, LayerRecord } from '../image/model';
import type { Digest, Verification, Warning } from '../types';
import { indexLayer, type LayerResult } from './index-layer';
import { quickIndexLayer } from './quick-index';
import { listTarBlob, streamArchive, type OuterEntries } from './outer-tar';
import { sniffArchive } from './sniff';

export interface LayerJob {
  key: string;
  /** Check the layer's digests (sha256 of blob and tar); default true. */
  verify?: boolean;
  /** The stored blob's sha256 is computed by a separate digest job (ReadArchiveOptions.runDigest). */
  blobDigestElsewhere?: boolean;
  /** Position of the layer in the first image that has it. */
  layer: number;
  mediaType?: string;
  blob: Blob;
}

export type LayerRunner = (job: LayerJob, onProgress: (storedBytes: number) => void, signal?: AbortSignal) => Promise<LayerResult>;

/** sha256 of a stored blob, on another thread than the layer's index job. */
export type DigestRunner = (job: LayerJob, signal?: AbortSignal) => Promise<Digest>;

export interface ReadArchiveOptions {
  name?: string;
  /** `os/arch[/variant]` to pick from a multi-platform index. */
  platform?: string;
  signal?: AbortSignal;
  onSummary?: (summary: ArchiveSummary) => void;
  onProgress?: (key: string, storedBytes: number, total: number) => void;
  onLayer?: (key: string, result: LayerResult, verification: Verification) => void;
  runLayer?: LayerRunner;
  /**
   * When given (the browser's pool), each layer's stored-blob sha256 runs as its own job beside
   * the layer's index job, so two workers share the largest layer: sha256 is the costliest stage.
   */
  runDigest?: DigestRunner;
  /** Check every layer's digests (default true); false skips sha256, the costliest stage. */
  verify?: boolean;
  /** Layers indexed at once; the pool size in the browser. */
  concurrency?: number;
  /**
   * Index uncompressed layers from their headers first (no body is streamed) and hand the images
   * over at once, before the full pass computes digests and content hashes. Called only when every
   * layer could be read that way (an uncompressed archive with uncompressed layers).
   */
  onQuickIndex?: (images: LoadedImage[], results: Map<string, LayerResult>) => void;
}

export interface LoadedImage {
  record: ImageRecord;
  layers: IndexedLayer[];
}

export interface ArchiveResult {
  summary: ArchiveSummary;
  images: LoadedImage[];
  /** One result per distinct layer key: shared layers are indexed once. */
  results: Map<string, LayerResult>;
}

const inProcess: LayerRunner = (job, onProgress, signal) =>
  indexLayer(job.blob.stream(), {
    layer: job.layer, mediaType: job.mediaType, verify: job.verify, blobDigestElsewhere: job.blobDigestElsewhere, signal, onProgress,
  });

export async function readArchive(blob: Blob, opts: ReadArchiveOptions = {}): Promise<ArchiveResult> {
  const name = opts.name ?? 'archive';
  const warnings: Warning[] = [];
  const head = new Uint8Array(await blob.slice(0, 1024).arrayBuffer());
  const kind = sniffArchive(head, name);

  let entries: OuterEntries;
  let streamed: Map<string, Promise<LayerResult>> | undefined;
  if (kind.outer === 'none') {
    entries = await listTarBlob(blob, warnings, opts.signal);
  } else {
    const s = await streamArchive(blob, kind.outer, warnings, {
      signal: opts.signal,
      verify: opts.verify,
      onProgress: (entry, n, total) => opts.onProgress?.(entry, n, total),
    });
    entries = s.entries;
    streamed = s.layers;
  }

  const resolution = await resolveLayout(entries, { platform: opts.platform });
  if (!resolution) return readPlainTar(blob, kind.outer, warnings, opts);

  warnings.push(...resolution.warnings);
  const images = await Promise.all(resolution.images.map((plan, i) => buildRecord(plan, i, entries, warnings)));
  const summary: ArchiveSummary = {
    format: resolution.format,
    outerCompression: kind.outer,
    images: images.map((i) => i.record),
    otherPlatforms: resolution.otherPlatforms,
    attestations: resolution.attestations,
    warnings,
  };
  opts.onSummary?.(summary);

  const jobs = distinctLayers(images, entries, blob, opts.verify ?? true);
  // The quick header pass reads a few bytes per entry and hands the images over before the pool
  // streams the layers in full: the tree is explorable long before digests are checked. The full
  // pass waits for it: beside two streaming workers on two cores, each of the quick pass's reads
  // took milliseconds instead of tens of microseconds.
  let fullDone = false;
  const quick = opts.onQuickIndex && !streamed ? quickPass(jobs, images, opts, () => fullDone) : Promise.resolve();
  await quick;
  // The largest layer is the critical path: start it first.
  jobs.sort((a, b) => b.job.blob.size - a.job.blob.size);
  const results = new Map<string, LayerResult>();
  const run = opts.runLayer ?? inProcess;
  const split = !streamed && (opts.verify ?? true) && opts.runDigest !== undefined;
  const digests = new Map<string, Promise<Digest>>();
  const tasks: { job: PlannedJob; digest: boolean }[] = [];
  for (const job of jobs) {
    if (split) job.job.blobDigestElsewhere = true;
    tasks.push({ job, digest: false });
    if (split) tasks.push({ job, digest: true });
  }
  const digestOf = (job: PlannedJob) => {
    let d = digests.get(job.job.key);
    if (!d) {
      d = opts.runDigest!(job.job, opts.signal);
      d.catch(() => undefined); // reported through the index task that awaits it
      digests.set(job.job.key, d);
    }
    return d;
  };
  await runPool(tasks, opts.concurrency ?? 2, async ({ job, digest }) => {
    if (digest) { await digestOf(job).catch(() => undefined); return; }
    const entry = job.plan.entry;
    let result = streamed
      ? await (streamed.get(entry) ?? Promise.reject(new FormatError(`layer ${entry} was not indexed while streaming`, entry)))
      : await run(job.job, (n) => opts.onProgress?.(job.job.key, n, job.job.blob.size), opts.signal);
    if (split) result = withBlobDigest(result, await digestOf(job));
    results.set(job.job.key, result);
    const verification = verify(job.record, job.plan.digest, result);
    for (const w of result.warnings) warnings.push({ ...w, entry });
    if (verification === 'mismatch') {
      warnings.push({ code: 'digest-mismatch', layer: job.job.layer, entry, message: mismatchMessage(job.record, job.plan.digest, result) });
    }
    opts.onLayer?.(job.job.key, result, verification);
  });
  fullDone = true;
  await quick;

  return { summary, images: images.map((img) => attach(img, results)), results };
}

/** Completes an index job's result with the digest job's sha256 of the stored blob. */
function withBlobDigest(r: LayerResult, digest: Digest): LayerResult {
  return r.compression === 'none'
    ? { ...r, blobDigest: digest, diffId: digest, hashed: true }
    : { ...r, blobDigest: digest, hashed: true };
}

/** Layers read at once by the quick pass. */
const QUICK_LANES = 4;

/** Headers-only indexes of every layer, handed over before the full pass; skipped if any is compressed. */
async function quickPass(jobs: PlannedJob[], images: BuiltImage[], opts: ReadArchiveOptions, fullDone: () => boolean): Promise<void> {
  const quick = new Map<string, LayerResult>();
  // Several layers at once: the reads are mostly waiting on the browser, so they overlap well.
  let failed = false;
  await runPool(jobs.slice(), QUICK_LANES, async (j) => {
    if (failed) return;
    const r = await quickIndexLayer(j.job.blob, { layer: j.job.layer, ...(opts.signal ? { signal: opts.signal } : {}) })
      .catch(() => null); // the full pass reports what is wrong with the layer
    if (r) quick.set(j.job.key, r);
    else failed = true;
  });
  if (failed) return;
  if (fullDone()) return;
  const loaded = images.map((img) => attach({ record: structuredClone(img.record), plan: img.plan }, quick));
  opts.onQuickIndex?.(loaded, quick);
}

interface BuiltImage { record: ImageRecord; plan: ImagePlan }

async function buildRecord(plan: ImagePlan, i: number, entries: OuterEntries, warnings: Warning[]): Promise<BuiltImage> {
  const bytes = await entries.read(plan.configEntry);
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
      key: diffId ?? l.digest ?? l.entry,
      ...(diffId ? { diffId } : {}),
      ...(l.digest ? { digest: l.digest } : {}),
      ...(l.mediaType ? { mediaType: l.mediaType } : {}),
      compression: 'none',
      compressedSize: entries.get(l.entry)?.size ?? 0,
      command: commands[j] ?? '',
      verification: 'unverifiable',
    };
  });
  const platform = plan.platform ?? config.platform;
  return {
    plan,
    record: {
      id: plan.configDigest ?? `image-${i}`,
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

interface PlannedJob { job: LayerJob; record: LayerRecord; plan: ImagePlan['layers'][number] }

function distinctLayers(images: BuiltImage[], entries: OuterEntries, blob: Blob, verify: boolean): PlannedJob[] {
  const seen = new Set<string>();
  const jobs: PlannedJob[] = [];
  for (const img of images) {
    img.record.layers.forEach((record, j) => {
      if (seen.has(record.key)) return;
      seen.add(record.key);
      const plan = img.plan.layers[j]!;
      const e = entries.get(plan.entry)!;
      jobs.push({
        record,
        plan,
        job: { key: record.key, layer: j, verify, ...(plan.mediaType ? { mediaType: plan.mediaType } : {}), blob: blob.slice(e.dataOffset, e.dataOffset + e.size) },
      });
    });
  }
  return jobs;
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

function mismatchMessage(record: LayerRecord, blobDigest: string | undefined, r: LayerResult): string {
  if (!r.complete) return `layer ${record.index} could not be read to the end, so its digest cannot match`;
  if (record.diffId && r.diffId !== record.diffId) return `layer ${record.index}: uncompressed content hashes to ${r.diffId}, but the config's diff_id is ${record.diffId}`;
  return `layer ${record.index}: stored blob hashes to ${r.blobDigest}, but the manifest says ${blobDigest}`;
}

function attach(img: BuiltImage, results: Map<string, LayerResult>): LoadedImage {
  const layers: IndexedLayer[] = [];
  for (const record of img.record.layers) {
    const r = results.get(record.key);
    if (!r) continue;
    record.compression = r.compression;
    record.uncompressedSize = r.uncompressedSize;
    record.files = r.files;
    record.verification = verify(record, img.plan.layers[record.index]?.digest, r);
    layers.push({ ...record, files: r.files, entries: r.entries });
  }
  return { record: img.record, layers };
}

/** Not an image: a filesystem tar (`docker export`), shown as one layer. */
async function readPlainTar(blob: Blob, outer: ArchiveSummary['outerCompression'], warnings: Warning[], opts: ReadArchiveOptions): Promise<ArchiveResult> {
  warnings.push({ code: 'plain-tar', message: `${opts.name ?? 'archive'} is a plain tar, not an image (no manifest.json or OCI index.json): opened as a one-layer filesystem` });
  const key = 'plain-tar';
  const record: LayerRecord = { index: 0, key, compression: outer, compressedSize: blob.size, command: '', verification: 'unverifiable' };
  const image: ImageRecord = {
    id: 'plain-tar', tags: [],
    config: { env: [], cmd: null, entrypoint: null, workingDir: '', user: '', exposedPorts: [], volumes: [], labels: [] },
    history: [], layers: [record],
  };
  const summary: ArchiveSummary = { format: 'plain-tar', outerCompression: outer, images: [image], otherPlatforms: [], attestations: 0, warnings };
  opts.onSummary?.(summary);
  const run = opts.runLayer ?? inProcess;
  const result = await run({ key, layer: 0, blob, verify: opts.verify ?? true }, (n) => opts.onProgress?.(key, n, blob.size), opts.signal);
  for (const w of result.warnings) warnings.push(w);
  const results = new Map([[key, result]]);
  opts.onLayer?.(key, result, 'unverifiable');
  return { summary, images: [attach({ record: image, plan: { tags: [], configEntry: '', layers: [{ entry: '' }] } }, results)], results };
}

async function runPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

