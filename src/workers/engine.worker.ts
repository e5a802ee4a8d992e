/// <reference lib="webworker" />
// The engine worker: turns what the page dropped into image sources, loads them with a pool of
// layer workers (loader.ts), keeps every index and merged filesystem out of the page, and answers
// the page's window queries.

import { TarImageSource } from '../core/source/archive-source';
import { BlobByteSource } from '../core/source/blob-source';
import type { ImageSource } from '../core/source/types';
import { Loader } from './loader';
import { LayerPool } from './pool';
import type { EngineEvent, EngineRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const pool = new LayerPool(() => new Worker(new URL('./layer.worker.ts', import.meta.url), { type: 'module' }));
const loader = new Loader(post, { runLayer: pool.run, runDigest: pool.digest, concurrency: pool.size });

function post(e: EngineEvent): void {
  self.postMessage(e);
}

function sourcesOf(files: Blob[], names: string[]): ImageSource[] {
  return files.map((file, i) => new TarImageSource(new BlobByteSource(file), names[i] ?? `file ${i + 1}`));
}

self.onmessage = (ev: MessageEvent<EngineRequest>) => {
  const msg = ev.data;
  if (msg.type === 'load') {
    void loader.load(msg.loadId, sourcesOf(msg.files, msg.names), {
      ...(msg.platform ? { platform: msg.platform } : {}),
      ...(msg.verify !== undefined ? { verify: msg.verify } : {}),
    });
  } else if (msg.type === 'cancel') {
    loader.cancel(msg.loadId);
  } else if (msg.type === 'query') {
    try {
      post({ type: 'answer', queryId: msg.queryId, answer: loader.session.answer(msg.query) });
    } catch (e) {
      post({ type: 'answer', queryId: msg.queryId, answer: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
};
