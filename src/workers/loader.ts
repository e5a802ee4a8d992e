// One load: read each dropped source in turn, hand what it holds to a fresh Session (the quick
// header-only result of an archive first, replaced by the full one), and post the page's events.
// The engine worker gives it the layer pool; Node tests give it the in-process runner.

import { readImages, runInProcess, type ArchiveResult, type DigestRunner, type LayerRunner } from '../core/pipeline/read-archive';
import type { LayerResult } from '../core/pipeline/index-layer';
import type { ArchiveSummary } from '../core/image/model';
import type { ImageSource } from '../core/source/types';
import type { Digest } from '../core/types';
import { ImageIds, type ImageNames } from './loader-ids';
import { Session } from './session';
import type { EngineEvent, LayerProgress } from './protocol';
import { registryFailure } from './registry-load';

export interface LoaderOptions {
  /** Indexes one layer; default: on this thread. */
  runLayer?: LayerRunner;
  /** sha256 of a stored blob as its own job (the pool), beside the layer's index job. */
  runDigest?: DigestRunner;
  /** Layers read at once (the pool's size). */
  concurrency?: number;
  /** Progress reaches the page at most this often, batched over all layers (default 100 ms). */
  progressMs?: number;
  /** The clock progress is throttled by (default performance.now). */
  now?: () => number;
}

export interface LoadOptions {
  /** `os/arch[/variant]` to pick from a multi-platform index. */
  platform?: string;
  /** Check layer digests (sha256), default true. */
  verify?: boolean;
}

const PROGRESS_MS = 100;

export class Loader {
  private current: { loadId: number; controller: AbortController } | undefined;
  private active = new Session();

  constructor(private readonly post: (e: EngineEvent) => void, private readonly opts: LoaderOptions = {}) {}

  /** The session of the latest load: what queries answer from. */
  get session(): Session {
    return this.active;
  }

  /** Reads `sources` one after another; a new load (or cancel) stops this one without a 'done'. */
  async load(loadId: number, sources: ImageSource[], opts: LoadOptions = {}): Promise<void> {
    this.current?.controller.abort(new DOMException('replaced by a new load', 'AbortError'));
    const controller = new AbortController();
    this.current = { loadId, controller };
    this.active = new Session();
    const run = new LoadRun(loadId, this.active, this.post, this.opts, controller.signal);
    for (const source of sources) {
      if (controller.signal.aborted) return;
      await run.read(source, opts);
    }
    if (!controller.signal.aborted) this.post({ type: 'done', loadId });
  }

  cancel(loadId: number): void {
    if (this.current?.loadId === loadId) this.current.controller.abort(new DOMException('cancelled', 'AbortError'));
  }
}

/** The state of one load: progress, the jobs already made, the ids given out, the summary so far. */
class LoadRun {
  private readonly progress = new Map<string, LayerProgress>();
  private lastProgress = -Infinity;
  /** Identical layers (same key) across the dropped sources are indexed once. */
  private readonly indexed = new Map<string, Promise<LayerResult>>();
  private readonly digested = new Map<string, Promise<Digest>>();
  private readonly ids = new ImageIds();
  private combined: ArchiveSummary | undefined;

  constructor(
    private readonly loadId: number, private readonly session: Session, private readonly post: (e: EngineEvent) => void,
    private readonly opts: LoaderOptions, private readonly signal: AbortSignal,
  ) {}

  async read(source: ImageSource, req: LoadOptions): Promise<void> {
    const { loadId, signal, post } = this;
    const runLayer = this.opts.runLayer ?? runInProcess;
    const runDigest = this.opts.runDigest;
    let names: ImageNames | undefined;
    /** This source's own summary, as read. */
    let own: ArchiveSummary | undefined;

    try {
      const result = await readImages(source, {
        ...(req.platform ? { platform: req.platform } : {}),
        signal,
        verify: req.verify ?? true,
        ...(this.opts.concurrency ? { concurrency: this.opts.concurrency } : {}),
        runLayer: (job, onProgress, s) => once(this.indexed, job.key, () => runLayer(job, onProgress, s)),
        ...(runDigest ? { runDigest: (job, s) => once(this.digested, job.key, () => runDigest(job, s)) } : {}),
        onSummary: (s) => {
          names = this.ids.assign(s.images, source.name);
          own = s;
          this.combined = combine(this.combined, names.summary(s));
          post({ type: 'summary', loadId, summary: this.combined });
        },
        onProgress: (key, bytesDone, bytesTotal) => {
          this.progress.set(key, { key, bytesDone, bytesTotal });
          this.flush(false);
        },
        // Shown until the next result replaces it (the session drops what a source showed before):
        // the headers-only result of an uncompressed archive, or the images over their indexed
        // prefix (while the quick pass reads the last layers' headers, or compressed layers).
        onQuickIndex: (images, results, sources) => {
          if (signal.aborted || !names || !own) return;
          this.analyse(names.result({ summary: own, images, results, sources }), { source, final: false });
        },
        onPartial: (images, results, sources) => {
          if (signal.aborted || !names || !own) return;
          this.analyse(names.result({ partial: true, summary: own, images, results, sources }), { source, final: false });
        },
        onLayer: (key, r, facts) => {
          this.progress.set(key, { key, bytesDone: r.compressedSize, bytesTotal: r.compressedSize });
          this.flush(true);
          post({ type: 'layer', loadId, key, files: facts.files, uncompressedSize: facts.uncompressedSize, verification: facts.verification });
        },
      });
      if (signal.aborted || !names) return;
      const named = names.result(result);
      for (const w of named.summary.warnings) post({ type: 'warning', loadId, warning: { ...w, file: source.name } });
      this.analyse(named, { source, final: true });
      for (const w of this.session.mergeWarnings(named)) post({ type: 'warning', loadId, warning: { ...w, file: source.name } });
    } catch (e) {
      if (signal.aborted) return;
      // A registry's failure carries its code: the page asks for credentials on a 401.
      const registry = registryFailure(e);
      post({ type: 'error', loadId, message: e instanceof Error ? e.message : String(e), file: source.name, ...(registry ? { registry } : {}) });
    }
  }

  private analyse(archive: ArchiveResult, of: { source: object; final: boolean }): void {
    for (const analysis of this.session.addArchive(archive, of)) this.post({ type: 'analysis', loadId: this.loadId, analysis });
  }

  private flush(force: boolean): void {
    const now = (this.opts.now ?? (() => performance.now()))();
    if (!force && now - this.lastProgress < (this.opts.progressMs ?? PROGRESS_MS)) return;
    this.lastProgress = now;
    this.post({ type: 'progress', loadId: this.loadId, layers: [...this.progress.values()] });
  }
}

/** The promise already made for `key`, or a new one remembered under it. */
function once<T>(made: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = made.get(key);
  if (!p) { p = make(); made.set(key, p); }
  return p;
}

/** Several dropped sources show as one set of images (for comparing), in the first one's format. */
function combine(prev: ArchiveSummary | undefined, next: ArchiveSummary): ArchiveSummary {
  if (!prev) return next;
  return {
    ...prev,
    images: [...prev.images, ...next.images],
    otherPlatforms: [...prev.otherPlatforms, ...next.otherPlatforms],
    attestations: prev.attestations + next.attestations,
    warnings: [...prev.warnings, ...next.warnings],
  };
}
