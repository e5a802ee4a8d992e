/// <reference lib="webworker" />
// The engine worker: reads dropped archives with a pool of layer workers, keeps every index and
// merged filesystem out of the page, and answers the page's window queries.

import { readArchive, readImages, type ArchiveResult, type ReadArchiveOptions } from '../core/pipeline/read-archive';
import type { LayerResult } from '../core/pipeline/index-layer';
import type { ArchiveSummary } from '../core/image/model';
import { FormatError } from '../core/image/json';
import type { Digest } from '../core/types';
import { LayerPool } from './pool';
import { Session } from './session';
import type { EngineEvent, EngineRequest, LayerProgress } from './protocol';
import { openReference, registryFailure, type RegistryLoad } from './registry-load';

declare const self: DedicatedWorkerGlobalScope;

const pool = new LayerPool(() => new Worker(new URL('./layer.worker.ts', import.meta.url), { type: 'module' }));
let current: { loadId: number; controller: AbortController } | undefined;
let session = new Session();

function post(e: EngineEvent): void {
  self.postMessage(e);
}

/** Progress reaches the page at most this often, batched over all layers. */
const PROGRESS_MS = 100;

/** A dropped file, or an image pulled by reference through our server's proxy. */
type Input = { name: string; blob: Blob } | { name: string; registry: RegistryLoad };

async function load(loadId: number, inputs: Input[], platform?: string, verify = true): Promise<void> {
  current?.controller.abort(new DOMException('replaced by a new load', 'AbortError'));
  const controller = new AbortController();
  current = { loadId, controller };
  session = new Session();
  const progress = new Map<string, LayerProgress>();
  let lastPost = 0;
  const flush = (force = false) => {
    const now = performance.now();
    if (!force && now - lastPost < PROGRESS_MS) return;
    lastPost = now;
    post({ type: 'progress', loadId, layers: [...progress.values()] });
  };
  // Identical layers (same diff_id) across the dropped archives are indexed once.
  const indexed = new Map<string, Promise<LayerResult>>();
  const digested = new Map<string, Promise<Digest>>();
  let combined: ArchiveSummary | undefined;

  for (const input of inputs) {
    const { name } = input;
    // The headers-only result of this archive, shown until the full pass replaces it.
    let quick: ArchiveResult | undefined;
    let own: ArchiveSummary | undefined;
    try {
      const opts: ReadArchiveOptions = {
        name,
        ...(platform ? { platform } : {}),
        signal: controller.signal,
        verify,
        concurrency: pool.size,
        runLayer: (job, onProgress, signal) => once(indexed, job.key, () => pool.run(job, onProgress, signal)),
        runDigest: (job, signal) => once(digested, job.key, () => pool.digest(job, signal)),
        onSummary: (s) => {
          if ('registry' in input) {
            const r = input.registry.resolved();
            if (r) post({ type: 'registry', loadId, ...r });
          }
          own = s;
          combined = combine(combined, s, name);
          post({ type: 'summary', loadId, summary: combined });
        },
        onProgress: (key, bytesDone, bytesTotal) => {
          progress.set(key, { key, bytesDone, bytesTotal });
          flush();
        },
        onQuickIndex: (images, results) => {
          if (controller.signal.aborted || !own) return;
          quick = { summary: own, images, results };
          for (const analysis of session.addArchive(quick)) post({ type: 'analysis', loadId, analysis });
        },
        onLayer: (key, r, verification) => {
          progress.set(key, { key, bytesDone: r.compressedSize, bytesTotal: r.compressedSize });
          flush(true);
          post({ type: 'layer', loadId, key, files: r.files, uncompressedSize: r.uncompressedSize, verification });
        },
      };
      // A registry layer is fetched once, by one worker that also hashes it (no separate digest
      // job reading it a second time), and never read header by header over the network.
      const result = 'blob' in input ? await readArchive(input.blob, opts)
        : await readImages(input.registry.source, { ...opts, runDigest: undefined, onQuickIndex: undefined });
      if (controller.signal.aborted) return;
      for (const w of result.summary.warnings) post({ type: 'warning', loadId, warning: { ...w, file: name } });
      for (const analysis of session.addArchive(result, quick)) post({ type: 'analysis', loadId, analysis });
    } catch (e) {
      if (controller.signal.aborted) return;
      const message = e instanceof FormatError || e instanceof Error ? e.message : String(e);
      const registry = registryFailure(e);
      post({ type: 'error', loadId, message, file: name, ...(registry ? { registry } : {}) });
    }
  }
  if (!controller.signal.aborted) post({ type: 'done', loadId });
}

function loadReference(msg: Extract<EngineRequest, { type: 'loadReference' }>): void {
  let registry: RegistryLoad;
  try {
    registry = openReference(msg.reference, { ...(msg.platform ? { platform: msg.platform } : {}), ...(msg.credentials ? { credentials: msg.credentials } : {}) });
  } catch (e) {
    const failure = registryFailure(e);
    post({ type: 'error', loadId: msg.loadId, message: e instanceof Error ? e.message : String(e), file: msg.reference, ...(failure ? { registry: failure } : {}) });
    post({ type: 'done', loadId: msg.loadId });
    return;
  }
  void load(msg.loadId, [{ name: registry.source.name, registry }], msg.platform, msg.verify);
}

/** The promise already made for `key`, or a new one remembered under it. */
function once<T>(made: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = made.get(key);
  if (!p) { p = make(); made.set(key, p); }
  return p;
}

/**
 * Several dropped archives show as one set of images (for comparing), the first one's format.
 * Records are named in place, before the summary is posted, so the ids the page learns are the
 * ids the session answers to: the same image dropped twice becomes `id#2`; an untagged image is
 * named after its file.
 */
function combine(prev: ArchiveSummary | undefined, next: ArchiveSummary, name: string): ArchiveSummary {
  const taken = new Set(prev?.images.map((i) => i.id));
  for (const img of next.images) {
    const base = img.id;
    for (let n = 2; taken.has(img.id); n++) img.id = `${base}#${n}`;
    taken.add(img.id);
    if (img.tags.length === 0) img.tags = [name];
  }
  const images = next.images;
  if (!prev) return { ...next, images };
  return {
    ...prev,
    images: [...prev.images, ...images],
    otherPlatforms: [...prev.otherPlatforms, ...next.otherPlatforms],
    attestations: prev.attestations + next.attestations,
    warnings: [...prev.warnings, ...next.warnings],
  };
}

self.onmessage = (ev: MessageEvent<EngineRequest>) => {
  const msg = ev.data;
  if (msg.type === 'load') void load(msg.loadId, msg.files.map((blob, i) => ({ blob, name: msg.names[i] ?? `file ${i + 1}` })), msg.platform, msg.verify);
  else if (msg.type === 'loadReference') void loadReference(msg);
  else if (msg.type === 'cancel') {
    if (current?.loadId === msg.loadId) current.controller.abort(new DOMException('cancelled', 'AbortError'));
  } else if (msg.type === 'query') {
    try {
      post({ type: 'answer', queryId: msg.queryId, answer: session.answer(msg.query) });
    } catch (e) {
      post({ type: 'answer', queryId: msg.queryId, answer: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
};
