// Runs inside a Chromium dedicated worker (bundled by probe.ts): decodes each fixture with our
// codec and with the raw platform decoder, and posts back what happened.
import { CodecError, createSha256, decompressStream } from '../../src/core/codec';
import { chunkedStream } from '../../test/streams';

export interface ProbeCase { name: string; kind: 'gzip' | 'zstd'; url: string; chunk: number; gzip?: 'native' | 'pako'; raw?: boolean }
export interface ProbeResult { name: string; ok: boolean; bytes?: number; digest?: string; error?: string; ms: number }


async function run(c: ProbeCase): Promise<ProbeResult> {
  const bytes = new Uint8Array(await (await fetch(c.url)).arrayBuffer());
  const started = performance.now();
  const out = c.raw
    ? chunkedStream(bytes, c.chunk).pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>)
    : decompressStream(c.kind, chunkedStream(bytes, c.chunk), { gzip: c.gzip ?? 'auto' });
  const sha = await createSha256();
  let n = 0;
  try {
    for await (const part of out as unknown as AsyncIterable<Uint8Array>) { sha.update(part); n += part.length; }
    return { name: c.name, ok: true, bytes: n, digest: sha.digest(), ms: performance.now() - started };
  } catch (e) {
    const error = e instanceof CodecError ? `CodecError ${e.code}: ${e.message}` : `${(e as Error).name}: ${(e as Error).message}`;
    return { name: c.name, ok: false, bytes: n, error, ms: performance.now() - started };
  }
}

self.onmessage = async (ev: MessageEvent<ProbeCase[]>) => {
  const results: ProbeResult[] = [];
  for (const c of ev.data) results.push(await run(c));
  self.postMessage(results);
};
