// Stage profile of the layer indexer in a Chromium worker: each layer blob is read once per stage,
// each stage adding one piece of work, so the difference between two stages is what that piece
// costs: reading the Blob, decompression, the tar walk, xxh64 per file, sha256 (blob + tar), the
// index builder (the real indexLayer) and posting the result to another thread.

import { createContentHasher, createSha256, decompressStream, sniffCompression } from '../../src/core/codec';
import { digestBlob, indexLayer } from '../../src/core/pipeline/index-layer';
import { transferablesOf } from '../../src/core/index/layer-index';
import { BlobByteSource } from '../../src/core/source/blob-source';
import { TarWalker, type BodySink } from '../../src/core/tar';
import type { ProfileReport, ProfileRequest, StageTime } from './profile-protocol';

interface Work { xxh: boolean; sha: boolean }

type ContentHasher = Awaited<ReturnType<typeof createContentHasher>>;

async function stage(blob: Blob, decode: boolean, walk: boolean, work: Work, reuseChunks = false): Promise<{ plain: number; entries: number }> {
  const head = new Uint8Array(await blob.slice(0, 16).arrayBuffer());
  const kind = sniffCompression(head);
  const blobHash = await createSha256();
  const tarHash = await createSha256();
  const fileHash: ContentHasher = await createContentHasher();
  let input: ReadableStream<Uint8Array> = blob.stream();
  if (work.sha && kind !== 'none') {
    input = input.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform(c, ctl) { blobHash.update(c); ctl.enqueue(c); } }));
  }
  const plain = decode ? decompressStream(kind, input, { reuseChunks }) : input;
  const walker = walk ? new TarWalker({
    onEntry: (e): BodySink | void => {
      if (!work.xxh || e.type !== 'file' || e.stored === 0) return;
      fileHash.init();
      return { write: (c) => fileHash.update(c), end: () => { fileHash.digest(); } };
    },
  }) : undefined;
  const reader = plain.getReader();
  let n = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    n += value.length;
    if (work.sha) tarHash.update(value);
    walker?.push(value);
  }
  walker?.end();
  blobHash.digest();
  tarHash.digest();
  return { plain: n, entries: walker?.entries ?? 0 };
}

/** The Blob read as the layer jobs read it: BYOB into reused buffers, a stalled read retried. */
async function readByob(blob: Blob): Promise<number> {
  const reader = new BlobByteSource(blob).stream(0, blob.size, undefined, { reuseChunks: true }).getReader();
  let n = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    n += value.length;
  }
  return n;
}

async function profile(files: Blob[], passes: number): Promise<ProfileReport> {
  const stages: StageTime[] = [];
  let transfers = 0;
  let uncompressedBytes = 0;
  let entries = 0;
  const perLayer: number[] = [];
  // Best of `passes`: the machine is shared, and the faster pass is the closer to the cost.
  const time = async (name: string, run: (b: Blob) => Promise<unknown>) => {
    let best = Infinity;
    for (let pass = 0; pass < passes; pass++) {
      const t = performance.now();
      for (const [i, f] of files.entries()) {
        const l = performance.now();
        await run(f);
        if (name.startsWith('indexLayer')) perLayer[i] = Math.min(perLayer[i] ?? Infinity, performance.now() - l);
      }
      best = Math.min(best, performance.now() - t);
    }
    stages.push({ stage: name, ms: best });
  };
  const none: Work = { xxh: false, sha: false };
  await time('read Blob stream', (b) => stage(b, false, false, none));
  // Chromium's Blob stream is a byte stream: a BYOB reader can refill one buffer instead of
  // receiving a fresh one per chunk (page faults on every new 4 KiB; see bench/README.md).
  await time('read Blob stream, BYOB into a reused 1 MiB', readByob);
  // The digest job of an uncompressed layer (read-archive's split): the blob's sha256 alone, read
  // as before (fresh chunks) and as the layer worker now reads it (BYOB, reused buffers).
  await time('sha256 of the blob alone, fresh chunks', (b) => digestBlob(b.stream()));
  await time('sha256 of the blob alone, BYOB reused', (b) => digestBlob(new BlobByteSource(b).stream(0, b.size, undefined, { reuseChunks: true })));
  await time('+ decompress', (b) => stage(b, true, false, none));
  // What indexLayer does (and the stages after this one): zstd output in a ring of reused buffers.
  await time('+ decompress, chunks reused', (b) => stage(b, true, false, none, true));
  for (const f of files) {
    const r = await stage(f, true, true, none);
    uncompressedBytes += r.plain;
    entries += r.entries;
  }
  await time('+ tar walk', (b) => stage(b, true, true, none, true));
  await time('+ xxh64 per file', (b) => stage(b, true, true, { xxh: true, sha: false }, true));
  await time('+ sha256 blob and tar', (b) => stage(b, true, true, { xxh: true, sha: true }, true));
  // As the layer worker runs it: the Blob read BYOB into reused buffers (ByteSource reuseChunks).
  await time('indexLayer (+ index builder, captures)', async (b) => {
    const r = await indexLayer(new BlobByteSource(b).stream(0, b.size, undefined, { reuseChunks: true }), { reusedInput: true });
    const bytes = transferablesOf(r.entries).reduce((s, a) => s + a.byteLength, 0);
    if (transfers++ >= files.length) return;
    post({ type: 'transfer', sentAt: performance.timeOrigin + performance.now(), bytes, result: r }, [
      ...transferablesOf(r.entries), ...r.captures.map((c) => c.bytes.buffer as ArrayBuffer),
    ]);
  });
  return { storedBytes: files.reduce((s, f) => s + f.size, 0), uncompressedBytes, entries, stages, perLayerMs: perLayer };
}

function post(message: unknown, transfer: Transferable[] = []): void {
  (self as unknown as { postMessage(m: unknown, t: Transferable[]): void }).postMessage(message, transfer);
}

self.onmessage = (ev: MessageEvent<ProfileRequest>) => {
  profile(ev.data.files, ev.data.passes).then((r) => post(r), (e: unknown) => post({ error: String(e) }));
};
