// `npx tsx e2e/codec-probe/probe.ts`: runs src/core/codec in a Chromium worker against
// multi-member gzip (estargz-style), padding, garbage, corruption, truncation and zstd, and prints
// what the raw DecompressionStream does with the same bytes. Needs /usr/bin/chromium, gzip, zstd.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { ProbeCase, ProbeResult } from './worker-main';

const dir = mkdtempSync(join(tmpdir(), 'codec-probe-'));
let n = 0;
const cli = (cmd: string, args: string[], data: Buffer): Buffer => {
  const f = join(dir, `f${n++}`);
  writeFileSync(f, data);
  return execFileSync(cmd, [...args, f], { maxBuffer: 1 << 30 });
};
const gzip = (d: Buffer): Buffer => cli('gzip', ['-c', '-6', '-n'], d);

function sample(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const block = (i >> 12) % 3;
    b[i] = block === 0 ? 97 + (x % 7) : block === 1 ? x & 0xff : 0;
  }
  return b;
}

async function main(): Promise<void> {
  const data = sample(2_000_000, 7);
  const cuts = [0, 1, 10_000, 10_000, 500_000, 1_200_000, 2_000_000];
  const multi = Buffer.concat(cuts.slice(0, -1).map((c, i) => gzip(data.subarray(c, cuts[i + 1]))));
  const single = gzip(data);
  // estargz-like: one member per 16 KiB "file" over 32 MB (zlib's gzip: thousands of CLI runs are slow).
  const big = sample(32_000_000, 9);
  const manyParts: Buffer[] = [];
  for (let i = 0; i < big.length; i += 16384) manyParts.push(gzipSync(big.subarray(i, i + 16384)));
  const many = Buffer.concat(manyParts);
  const bigSingle = gzip(big);
  const flipped = Buffer.from(multi);
  flipped[multi.length >> 1] = flipped[multi.length >> 1]! ^ 0x20;
  const zst = Buffer.concat([cli('zstd', ['-c', '-q'], data.subarray(0, 700_000)), cli('zstd', ['-c', '-q'], data.subarray(700_000))]);
  const digest = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const expected: Record<string, string> = {};

  const cases: ProbeCase[] = [];
  const files: Buffer[] = [];
  const add = (name: string, kind: 'gzip' | 'zstd', bytes: Buffer, chunk: number, plain?: Buffer, extra: Partial<ProbeCase> = {}): void => {
    cases.push({ name, kind, url: `/f/${files.push(bytes) - 1}`, chunk, ...extra });
    if (plain) expected[name] = digest(plain);
  };
  add('raw DecompressionStream, 6 members', 'gzip', multi, 65536, data, { raw: true });
  for (const chunk of [7, 512, 65536, 1 << 30]) add(`multi-member, ${chunk}-byte chunks`, 'gzip', multi, chunk, data);
  add('single member, 65536-byte chunks', 'gzip', single, 65536, data);
  add('multi-member + 1 KiB zero padding', 'gzip', Buffer.concat([multi, Buffer.alloc(1024)]), 65536, data);
  add('multi-member + junk', 'gzip', Buffer.concat([multi, Buffer.from('junk')]), 65536);
  add('multi-member, flipped byte', 'gzip', flipped, 65536);
  add('multi-member, truncated', 'gzip', multi.subarray(0, multi.length - 3), 65536);
  add('zstd, 2 frames', 'zstd', zst, 65536, data);
  add('timing: 32 MB single member, native', 'gzip', bigSingle, 65536, big);
  add('timing: 32 MB single member, pako', 'gzip', bigSingle, 65536, big, { gzip: 'pako' });
  add(`timing: 32 MB as ${manyParts.length} members, native`, 'gzip', many, 65536, big);
  add(`timing: 32 MB as ${manyParts.length} members, pako`, 'gzip', many, 65536, big, { gzip: 'pako' });

  const bundle = await build({
    entryPoints: [join(import.meta.dirname, 'worker-main.ts')], bundle: true, format: 'esm', write: false, platform: 'browser',
  });
  const code = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    const m = /^\/f\/(\d+)$/.exec(req.url ?? '');
    if (m) { res.end(files[Number(m[1])]); return; }
    if (req.url === '/worker.js') { res.setHeader('content-type', 'text/javascript'); res.end(code); return; }
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>codec probe</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => console.log('[page]', m.text()));
    await page.goto(`${base}/`);
    const results = await page.evaluate(async (cases) => {
      const worker = new Worker('/worker.js', { type: 'module' });
      return await new Promise<ProbeResult[]>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<ProbeResult[]>) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage(cases);
      });
    }, cases);
    console.log(`Chromium ${browser.version()}`);
    let bad = 0;
    for (const r of results) {
      const want = expected[r.name];
      const match = want === undefined ? '' : r.digest === want ? ' == gzip -dc' : ' != EXPECTED';
      if (want !== undefined && r.digest !== want && !r.name.startsWith('raw')) bad++;
      if (want === undefined && r.ok) bad++;
      const speed = r.ok && r.bytes ? ` ${(r.bytes / 1e6 / (r.ms / 1000)).toFixed(0)} MB/s` : '';
      console.log(`${r.ok ? 'ok  ' : 'err '} ${r.name}: ${r.ok ? `${r.bytes} bytes${match}` : r.error} (${r.ms.toFixed(0)} ms${speed})`);
    }
    console.log(bad ? `${bad} unexpected result(s)` : 'all results as expected');
    process.exitCode = bad ? 1 : 0;
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
