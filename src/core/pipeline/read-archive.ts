// Read an image source end to end: show its images as soon as manifests and configs are read
// (onSummary), then index every distinct layer once, even when several images share it. Where the
// bytes come from is the source's business (core/source): readArchive opens a file's bytes as an
// archive source, readImages reads any ImageSource. The same functions serve the CLI (in-process)
// and the engine worker (whose runLayer posts each layer's source to a pool of workers).

import type { ImagePlan } from '../image/layout';
import type { ArchiveSummary, ImageRecord, LayerFacts, LayerRecord } from '../image/model';
import { toImageId, toLayerKey, type Digest, type LayerKey, type Warning } from '../types';
import { TarImageSource, type SeekableSource } from '../source/archive-source';
import { BlobByteSource } from '../source/blob-source';
import type { ByteSource, ImageSource, SourceListing } from '../source/types';
import { indexLayer, type LayerResult } from './index-layer';
import { quickIndexLayer } from './quick-index';
import { attach, buildRecord, layerFacts, mismatchMessage, type BuiltImage, type LoadedImage } from './records';

export type { LoadedImage } from './records';

export interface LayerJob {
  key: LayerKey;
  /** Check the layer's digests (sha256 of blob and tar); default true. */
  verify?: boolean;
  /** The stored blob's sha256 is computed by a separate digest job (ReadArchiveOptions.runDigest). */
  blobDigestElsewhere?: boolean;
  /** Position of the layer in the first image that has it. */
  layer: number;
  mediaType?: string;
  /** The stored blob. A pool posts its portable() form to the worker that reads it. */
  source: ByteSource;
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
  /** `key`: the layer's key; while a compressed outer archive streams, its entry name. */
  onProgress?: (key: string, storedBytes: number, total: number) => void;
  /** A layer is read: its result, and the facts its record now holds (verification...). */
  onLayer?: (key: LayerKey, result: LayerResult, facts: LayerFacts) => void;
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
  onQuickIndex?: (images: LoadedImage[], results: Map<string, LayerResult>, sources: Map<string, ByteSource>) => void;
  /**
   * Called whenever an image's indexed prefix grows (its layers 0..n-1 all indexed) while some
   * layer is still being read, with every image, each holding only its prefix (maybe none yet):
   * during the quick pass (before onQuickIndex shows every layer), or during the full pass when no
   * quick pass could show the images (compressed layers, a registry). The layers are indexed but
   * their digests may not be checked yet; the next result replaces these.
   */
  onPartial?: (images: LoadedImage[], results: Map<string, LayerResult>, sources: Map<string, ByteSource>) => void;
}

export interface ArchiveResult {
  /** Set on what onPartial hands over: images merged over their indexed prefix only. */
  partial?: true;
  summary: ArchiveSummary;
  images: LoadedImage[];
  /** One result per distinct layer key: shared layers are indexed once. */
  results: Map<string, LayerResult>;
  /**
   * The stored blob of each distinct layer, by key, to read files from later (core/contents).
   * Absent where a result was built without its source.
   */
  sources?: Map<string, ByteSource>;
}

/** Index a layer on this thread (the CLI, tests); the browser's pool runs the same in a worker. */
export const runInProcess: LayerRunner = (job, onProgress, signal) =>
  indexLayer(job.source.stream(0, job.source.size, signal, { reuseChunks: true }), {
    reusedInput: true, layer: job.layer, mediaType: job.mediaType, verify: job.verify, blobDigestElsewhere: job.blobDigestElsewhere, signal, onProgress,
  });

/** Reads an archive held in a Blob (a dropped file) or any seekable source (a file on disk). */
export async function readArchive(input: Blob | SeekableSource, opts: ReadArchiveOptions = {}): Promise<ArchiveResult> {
  const bytes = input instanceof Blob ? new BlobByteSource(input) : input;
  return readImages(new TarImageSource(bytes, opts.name), opts);
}

/** Reads the images of a source: records and summary first, then every distinct layer. */
export async function readImages(source: ImageSource, opts: ReadArchiveOptions = {}): Promise<ArchiveResult> {
  const listing = await source.list(opts.signal, {
    ...(opts.platform ? { platform: opts.platform } : {}),
    ...(opts.verify !== undefined ? { verify: opts.verify } : {}),
    // A source that reads layers while listing reports them by entry: the layer keys are not known yet.
    onProgress: (entry, n, total) => opts.onProgress?.(entry, n, total),
  });
  const warnings: Warning[] = [...listing.warnings];
  if (listing.format === 'plain-tar') return readPlainTar(source, listing, warnings, opts);

  const images = await Promise.all(listing.images.map((plan, i) => buildRecord(plan, i, source, warnings, opts.signal)));
  const summary: ArchiveSummary = {
    format: listing.format,
    outerCompression: listing.outerCompression,
    images: images.map((i) => i.record),
    otherPlatforms: listing.otherPlatforms,
    attestations: listing.attestations,
    warnings,
  };
  opts.onSummary?.(summary);

  const verifying = opts.verify ?? true;
  const planned = distinctLayers(images, source, verifying);
  // A source that indexed its layers while listing (a compressed archive) leaves nothing to split
  // and nothing a quick pass could show sooner.
  const preIndexed = planned.some((j) => j.indexed);
  const remote = planned.some((j) => j.job.source.remote);
  const split = !preIndexed && !remote && verifying && opts.runDigest !== undefined;
  const jobs = split ? planned.map((j) => ({ ...j, job: { ...j.job, blobDigestElsewhere: true } })) : planned;
  // The quick header pass reads a few bytes per entry and hands the images over before the pool
  // streams the layers in full: the tree is explorable long before digests are checked. The full
  // pass waits for it, every job of it: beside two streaming workers on two cores, each of the
  // quick pass's reads took milliseconds instead of tens of microseconds, and even the largest
  // layer's digest job alone, started beside it, put the first tree 27 % later (bench/README.md).
  const sources = new Map(planned.map((j) => [j.job.key as string, j.job.source]));
  const quick = opts.onQuickIndex !== undefined && !preIndexed && !remote;
  // The quick pass shows each image's indexed prefix as it grows, too: the base layers of a 10 GB
  // image are explorable while its largest layer's headers are still being walked.
  const quickPrefix = quick && opts.onPartial ? prefixReporter(images, opts.onPartial, sources) : undefined;
  const shown = quick && await quickPass(jobs, images, opts, sources, quickPrefix);
  const onIndexed = !shown && opts.onPartial ? prefixReporter(images, opts.onPartial, sources) : undefined;
  return { ...loaded(summary, images, await fullPass(jobs, split, warnings, opts, onIndexed)), sources };
}

/**
 * Every distinct layer read in full (digests, content hashes), the largest first: it is the
 * critical path. With `onIndexed` (nothing shown yet) the bottom layer of the first image goes
 * first, beside the largest, and its blob's digest job last: the first tree the page can show is
 * that layer's, and it comes in when that layer alone is indexed.
 */
async function fullPass(
  jobs: PlannedJob[], split: boolean, warnings: Warning[], opts: ReadArchiveOptions,
  onIndexed: ((key: string, result: LayerResult) => void) | undefined,
): Promise<Map<string, LayerResult>> {
  const digests = new Map<string, Promise<Digest>>();
  const bySize = [...jobs].sort((a, b) => b.job.source.size - a.job.source.size);
  const bottom = onIndexed ? jobs.find((j) => j.job.layer === 0) : undefined;
  const order = bottom ? [bottom, ...bySize.filter((j) => j !== bottom)] : bySize;
  const results = new Map<string, LayerResult>();
  const run = opts.runLayer ?? runInProcess;
  const digestOf = (job: PlannedJob) => {
    let d = digests.get(job.job.key);
    if (!d) {
      d = opts.runDigest!(job.job, opts.signal);
      d.catch(() => undefined); // reported through the index task that awaits it
      digests.set(job.job.key, d);
    }
    return d;
  };
  const tasks = order.flatMap((job) => (split ? [{ job, digest: false }, { job, digest: true }] : [{ job, digest: false }]));
  if (bottom && split) tasks.push(...tasks.splice(1, 1)); // the bottom layer's digest job last
  // A layer is done when its index job and its digest job are: the lane moves on meanwhile.
  const finishing: Promise<void>[] = [];
  await runPool(tasks, opts.concurrency ?? 2, async ({ job, digest }) => {
    if (digest) { await digestOf(job).catch(() => undefined); return; }
    const indexed = await (job.indexed
      ?? run(job.job, (n) => opts.onProgress?.(job.job.key, n, job.job.source.size), opts.signal));
    onIndexed?.(job.job.key, indexed);
    const done = (split ? digestOf(job).then((d) => withBlobDigest(indexed, d)) : Promise.resolve(indexed))
      .then((result) => finishLayer(job, result, results, warnings, opts));
    done.catch(() => undefined); // awaited below
    finishing.push(done);
  });
  await Promise.all(finishing);
  return results;
}

/** A layer's result is in: recorded, its warnings and digest check noted, the page told. */
function finishLayer(job: PlannedJob, result: LayerResult, results: Map<string, LayerResult>, warnings: Warning[], opts: ReadArchiveOptions): void {
  const entry = job.plan.entry;
  results.set(job.job.key, result);
  const facts = layerFacts(job.record, job.plan.digest, result);
  // Named by the id the reader gave the image; the loader renames it with the image (loader-ids.ts).
  for (const w of result.warnings) warnings.push({ ...w, entry, image: job.image.id });
  if (facts.verification === 'mismatch') {
    warnings.push({ code: 'digest-mismatch', image: job.image.id, layer: job.job.layer, entry, message: mismatchMessage(job.record, job.plan.digest, result) });
  }
  opts.onLayer?.(job.job.key, result, facts);
}

/**
 * Tracks each image's indexed prefix (layers 0..n-1 all in) and hands the images over whenever
 * one grows while the image is not complete: each with only its prefix, so a view of layer k or
 * "up to layer k" over it is what the final merge shows for those layers.
 */
function prefixReporter(
  images: BuiltImage[], onPartial: NonNullable<ReadArchiveOptions['onPartial']>, sources: Map<string, ByteSource>,
): (key: string, r: LayerResult) => void {
  const indexed = new Map<string, LayerResult>();
  const shown = images.map(() => 0);
  const prefix = (img: BuiltImage) => {
    let n = 0;
    while (n < img.record.layers.length && indexed.has(img.record.layers[n]!.key)) n++;
    return n;
  };
  return (key, r) => {
    indexed.set(key, r);
    const lengths = images.map(prefix);
    if (!lengths.some((n, i) => n > shown[i]! && n < images[i]!.record.layers.length)) return;
    const out: LoadedImage[] = [];
    const results = new Map<string, LayerResult>();
    // Every image, in order (the loader names them by position); one with no layer yet holds none.
    images.forEach((img, i) => {
      const n = lengths[i]!;
      shown[i] = n;
      const own = new Map(img.record.layers.slice(0, n).map((l) => [l.key, indexed.get(l.key)!] as const));
      for (const [k, v] of own) results.set(k, v);
      out.push(attach(img, own));
    });
    onPartial(out, results, sources);
  };
}

/** Completes an index job's result with the digest job's sha256 of the stored blob. */
function withBlobDigest(r: LayerResult, digest: Digest): LayerResult {
  return r.compression === 'none'
    ? { ...r, blobDigest: digest, diffId: digest, hashed: true }
    : { ...r, blobDigest: digest, hashed: true };
}

/** Layers read at once by the quick pass. */
const QUICK_LANES = 4;

/**
 * Headers-only indexes of every layer, handed over before the full pass (true); skipped if any is
 * compressed. `onIndexed` hears of each layer as its headers are in, while no layer has failed.
 */
async function quickPass(
  jobs: PlannedJob[], images: BuiltImage[], opts: ReadArchiveOptions, sources: Map<string, ByteSource>,
  onIndexed: ((key: string, result: LayerResult) => void) | undefined,
): Promise<boolean> {
  const quick = new Map<string, LayerResult>();
  // Several layers at once: the reads are mostly waiting on the browser, so they overlap well.
  let failed = false;
  await runPool(jobs.slice(), QUICK_LANES, async (j) => {
    if (failed) return;
    const r = await quickIndexLayer(j.job.source, { layer: j.job.layer, ...(opts.signal ? { signal: opts.signal } : {}) })
      .catch(() => null); // the full pass reports what is wrong with the layer
    if (!r) { failed = true; return; }
    quick.set(j.job.key, r);
    if (!failed) onIndexed?.(j.job.key, r);
  });
  if (failed) return false;
  opts.onQuickIndex?.(images.map((img) => attach(img, quick)), quick, sources);
  return true;
}

interface PlannedJob {
  job: LayerJob;
  record: LayerRecord;
  /** The first image that has the layer, which `job.layer` counts in. */
  image: ImageRecord;
  plan: ImagePlan['layers'][number];
  /** The result the source already has (ImageSource.indexed), awaited by the full pass. */
  indexed?: Promise<LayerResult>;
}

function distinctLayers(images: BuiltImage[], source: ImageSource, verify: boolean): PlannedJob[] {
  const seen = new Set<string>();
  const jobs: PlannedJob[] = [];
  for (const img of images) {
    img.record.layers.forEach((record, j) => {
      if (seen.has(record.key)) return;
      seen.add(record.key);
      const plan = img.plan.layers[j]!;
      const indexed = source.indexed?.(plan);
      indexed?.catch(() => undefined); // awaited, and reported, by the full pass
      jobs.push({
        record,
        image: img.record,
        plan,
        job: { key: record.key, layer: j, verify, ...(plan.mediaType ? { mediaType: plan.mediaType } : {}), source: source.layer(plan) },
        ...(indexed ? { indexed } : {}),
      });
    });
  }
  return jobs;
}

/** Not an image: a filesystem tar (`docker export`), shown as one layer. */
async function readPlainTar(source: ImageSource, listing: SourceListing, warnings: Warning[], opts: ReadArchiveOptions): Promise<ArchiveResult> {
  const plan = listing.images[0]!;
  const bytes = source.layer(plan.layers[0]!);
  const key = toLayerKey('plain-tar');
  const record: LayerRecord = { index: 0, key, compression: listing.outerCompression, compressedSize: bytes.size, command: '', verification: 'unverifiable' };
  const image: ImageRecord = {
    id: toImageId('plain-tar'), tags: [],
    config: { env: [], cmd: null, entrypoint: null, workingDir: '', user: '', exposedPorts: [], volumes: [], labels: [] },
    history: [], layers: [record],
  };
  const summary: ArchiveSummary = { format: 'plain-tar', outerCompression: listing.outerCompression, images: [image], otherPlatforms: [], attestations: 0, warnings };
  opts.onSummary?.(summary);
  const run = opts.runLayer ?? runInProcess;
  const result = await run({ key, layer: 0, source: bytes, verify: opts.verify ?? true }, (n) => opts.onProgress?.(key, n, bytes.size), opts.signal);
  for (const w of result.warnings) warnings.push(w);
  const results = new Map([[key, result]]);
  opts.onLayer?.(key, result, layerFacts(record, undefined, result));
  return { ...loaded(summary, [{ record: image, plan }], results), sources: new Map([[key as string, bytes]]) };
}

/** The result: images with their layers' facts, and the summary of those records. */
function loaded(summary: ArchiveSummary, images: BuiltImage[], results: Map<string, LayerResult>): ArchiveResult {
  const done = images.map((img) => attach(img, results));
  return { summary: { ...summary, images: done.map((l) => l.record) }, images: done, results };
}

async function runPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

