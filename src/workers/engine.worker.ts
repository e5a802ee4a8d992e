/// <reference lib="webworker" />
// The engine worker: turns what the page dropped (or the reference it typed) into image sources, loads them with a pool of
// layer workers (loader.ts), keeps every index and merged filesystem out of the page, and answers
// the page's window queries.

import { TarImageSource } from '../core/source/archive-source';
import { BlobByteSource } from '../core/source/blob-source';
import { FolderImageSource } from '../core/source/folder-source';
import type { ImageSource } from '../core/source/types';
import { Loader } from './loader';
import { LayerPool, splitDigests } from './pool';
import { nextTask, QueryQueue } from './query-queue';
import type { DroppedFolder, EngineEvent, EngineRequest } from './protocol';
import { openReference, registryFailure } from './registry-load';

declare const self: DedicatedWorkerGlobalScope;

const pool = new LayerPool(() => new Worker(new URL('./layer.worker.ts', import.meta.url), { type: 'module' }));
const loader = new Loader(post, { runLayer: pool.run, ...(splitDigests() ? { runDigest: pool.digest } : {}), concurrency: pool.size });
const queries = new QueryQueue((q, ctx) => loader.session.respond(q, ctx), post, nextTask());

function post(e: EngineEvent): void {
  self.postMessage(e);
}

/** A file is an archive; a folder is read file by file (an OCI layout). */
function sourcesOf(dropped: (Blob | DroppedFolder)[], names: string[]): ImageSource[] {
  return dropped.map((d, i) => d instanceof Blob
    ? new TarImageSource(new BlobByteSource(d), names[i] ?? `file ${i + 1}`)
    : new FolderImageSource(d.name, d.files.map((f) => [f.name, f])));
}

/** A pull by reference: the registry through our server's proxy, read by the same loader. */
function loadReference(msg: Extract<EngineRequest, { type: 'loadReference' }>): void {
  const { loadId } = msg;
  let pulled;
  try {
    pulled = openReference(msg.reference, {
      ...(msg.platform ? { platform: msg.platform } : {}),
      ...(msg.credentials ? { credentials: msg.credentials } : {}),
      onResolved: (r) => post({ type: 'registry', loadId, ...r }),
    });
  } catch (e) {
    const registry = registryFailure(e);
    post({ type: 'error', loadId, message: e instanceof Error ? e.message : String(e), file: msg.reference, ...(registry ? { registry } : {}) });
    post({ type: 'done', loadId });
    return;
  }
  void loader.load(loadId, [pulled.source], {
    ...(msg.platform ? { platform: msg.platform } : {}),
    ...(msg.verify !== undefined ? { verify: msg.verify } : {}),
  });
}

self.onmessage = (ev: MessageEvent<EngineRequest>) => {
  const msg = ev.data;
  if (msg.type === 'load') {
    void loader.load(msg.loadId, sourcesOf(msg.files, msg.names), {
      ...(msg.platform ? { platform: msg.platform } : {}),
      ...(msg.verify !== undefined ? { verify: msg.verify } : {}),
    });
  } else if (msg.type === 'loadReference') {
    loadReference(msg);
  } else if (msg.type === 'cancel') {
    loader.cancel(msg.loadId);
  } else if (msg.type === 'query') queries.add(msg.queryId, msg.query);
  else if (msg.type === 'cancelQuery') queries.cancel(msg.queryId);
};
