/// <reference lib="webworker" />
// A layer worker: streams one layer through the indexer and transfers the columnar index back. The
// layer arrives as a portable source (a Blob is a handle: posting it costs nothing); only the
// finished typed arrays move, never copied.

import { digestBlob, indexLayer } from '../core/pipeline/index-layer';
import { transferablesOf } from '../core/index/layer-index';
import { openPortable } from '../core/source/portable';
import type { LayerWorkerEvent, LayerWorkerRequest } from './layer-protocol';

declare const self: DedicatedWorkerGlobalScope;

const running = new Map<number, AbortController>();
/** Progress is posted at most this often per layer: enough for a smooth bar, cheap for the page. */
const PROGRESS_MS = 100;

function post(e: LayerWorkerEvent, transfer: Transferable[] = []): void {
  self.postMessage(e, transfer);
}

self.onmessage = async (ev: MessageEvent<LayerWorkerRequest>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') { running.get(msg.id)?.abort(); return; }
  const controller = new AbortController();
  running.set(msg.id, controller);
  let last = 0;
  if (msg.type === 'digest') {
    try {
      // digestBlob hashes each chunk before reading the next: reused buffers (StreamOptions).
      const input = openPortable(msg.input).stream(undefined, undefined, undefined, { reuseChunks: true });
      post({ type: 'digest', id: msg.id, digest: await digestBlob(input, controller.signal) });
    } catch (e) {
      post({ type: 'failed', id: msg.id, message: e instanceof Error ? e.message : String(e) });
    } finally {
      running.delete(msg.id);
    }
    return;
  }
  try {
    // indexLayer keeps no input chunk past its next read (reusedInput): reused buffers.
    const result = await indexLayer(openPortable(msg.job.input).stream(undefined, undefined, undefined, { reuseChunks: true }), {
      reusedInput: true,
      layer: msg.job.layer,
      mediaType: msg.job.mediaType,
      verify: msg.job.verify,
      blobDigestElsewhere: msg.job.blobDigestElsewhere,
      signal: controller.signal,
      onProgress: (storedBytes) => {
        const now = performance.now();
        if (now - last < PROGRESS_MS) return;
        last = now;
        post({ type: 'progress', id: msg.id, storedBytes });
      },
    });
    post({ type: 'result', id: msg.id, result }, [
      ...transferablesOf(result.entries),
      ...result.captures.map((c) => c.bytes.buffer as ArrayBuffer),
    ]);
  } catch (e) {
    post({ type: 'failed', id: msg.id, message: e instanceof Error ? e.message : String(e) });
  } finally {
    running.delete(msg.id);
  }
};
