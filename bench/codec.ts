// `npx tsx bench/codec.ts [MB]`: decompression and hashing throughput of src/core/codec in Node.
// Prints MB/s of decompressed bytes (median of 3). Not part of the test run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSHA256, createXXHash3, createXXHash64 } from 'hash-wasm';
import { ZSTDDecoder } from 'zstddec/stream';
import { createZstdDecoder, decompressStream, type DecompressOptions } from '../src/core/codec';
import type { Compression } from '../src/core/types';
import { chunkedStream } from '../test/streams';

const MB = Number(process.argv[2] ?? 64);
const dir = mkdtempSync(join(tmpdir(), 'codec-bench-'));

/** Tar-like content: text, incompressible bytes and zero runs in 4 KiB blocks. */
function sample(size: number): Buffer {
  const b = Buffer.alloc(size);
  let x = 12345;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const block = (i >> 12) % 4;
    b[i] = block === 0 || block === 3 ? 97 + (x % 11) : block === 1 ? x & 0xff : 0;
  }
  return b;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
async function time(label: string, bytes: number, fn: () => Promise<unknown> | unknown): Promise<void> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await fn();
    runs.push((performance.now() - t) / 1000);
  }
  console.log(`${label.padEnd(44)} ${(bytes / 1e6 / median(runs)).toFixed(0).padStart(6)} MB/s`);
}

async function drain(kind: Compression, b: Uint8Array, opts?: DecompressOptions): Promise<number> {
  let n = 0;
  for await (const p of decompressStream(kind, chunkedStream(b, 65536), opts) as unknown as AsyncIterable<Uint8Array>) n += p.length;
  return n;
}

async function main(): Promise<void> {
  const data = sample(MB * 1_000_000);
  const f = join(dir, 'data');
  writeFileSync(f, data);
  const gz = execFileSync('gzip', ['-6', '-c', f], { maxBuffer: 1 << 30 });
  const zst = execFileSync('zstd', ['-3', '-c', '-q', f], { maxBuffer: 1 << 30 });
  console.log(`Node ${process.version}, ${MB} MB input; gzip ${(gz.length / 1e6).toFixed(1)} MB, zstd ${(zst.length / 1e6).toFixed(1)} MB`);

  await time('gzip: decompressStream native (+member driver)', data.length, () => drain('gzip', gz, { gzip: 'native' }));
  await time('gzip: raw DecompressionStream', data.length, async () => {
    for await (const _ of chunkedStream(gz, 65536).pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>) as unknown as AsyncIterable<Uint8Array>);
  });
  await time('gzip: decompressStream pako', data.length, () => drain('gzip', gz, { gzip: 'pako' }));
  await time('zstd: decompressStream (checked WASM driver)', data.length, () => drain('zstd', zst));
  await time('zstd: push decoder, synchronous', data.length, async () => {
    const d = await createZstdDecoder();
    for (let i = 0; i < zst.length; i += 65536) for (const _ of d.push(zst.subarray(i, i + 65536)));
    for (const _ of d.end());
  });
  await time('none: decompressStream pass-through', data.length, () => drain('none', data));
  const zd = new ZSTDDecoder();
  await zd.init();
  await time('zstd: zstddec decodeStreaming (unchecked)', data.length, () => {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < zst.length; i += 65536) parts.push(zst.subarray(i, i + 65536));
    for (const _ of zd.decodeStreaming(parts));
  });

  for (const [name, make] of [['sha256', createSHA256], ['xxh64', createXXHash64], ['xxh3', createXXHash3]] as const) {
    const h = await make();
    await time(`${name}: whole, 1 MiB updates`, data.length, () => {
      h.init();
      for (let i = 0; i < data.length; i += 1 << 20) h.update(data.subarray(i, i + (1 << 20)));
      h.digest('binary');
    });
    for (const size of [200, 4096]) {
      const files = Math.min(200_000, Math.floor(data.length / size));
      await time(`${name}: per file, ${size}-byte files`, files * size, () => {
        for (let i = 0; i < files; i++) { h.init(); h.update(data.subarray(i * size, i * size + size)); h.digest('binary'); }
      });
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
