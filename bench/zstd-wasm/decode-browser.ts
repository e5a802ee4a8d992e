// `npx tsx bench/zstd-wasm/decode-browser.ts WASM_DIR LAYER.tar.zst [--passes N]`
// The zstd decoder alone in a Chromium worker: each WASM build in WASM_DIR (what build.sh writes)
// and zstddec's own (taken from its npm module), one ZSTD_decompressStream loop over the whole
// compressed layer held in memory, 128 KiB out, nothing copied out. Prints MB/s of decoded bytes
// per pass, the builds alternating, and `zstd -dc LAYER > /dev/null` on the same file after them.
// What the pipeline adds around the decoder (reads, copies, the tar walk, xxh64) is not in it.
// Prints figures; asserts nothing.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { launchChromium } from '../browser';

const WORKER = `
function run(ex, data) {
  const dctx = ex.ZSTD_createDCtx();
  const inCap = ex.ZSTD_DStreamInSize(), outCap = ex.ZSTD_DStreamOutSize();
  const inBuf = ex.malloc(inCap), outBuf = ex.malloc(outCap), inS = ex.malloc(12), outS = ex.malloc(12);
  let total = 0;
  const t = performance.now();
  for (let s = 0; s < data.length; s += inCap) {
    const n = Math.min(inCap, data.length - s);
    new Uint8Array(ex.memory.buffer).set(data.subarray(s, s + n), inBuf);
    let v = new DataView(ex.memory.buffer);
    v.setUint32(inS, inBuf, true); v.setUint32(inS + 4, n, true); v.setUint32(inS + 8, 0, true);
    for (;;) {
      v = new DataView(ex.memory.buffer);
      v.setUint32(outS, outBuf, true); v.setUint32(outS + 4, outCap, true); v.setUint32(outS + 8, 0, true);
      const ret = ex.ZSTD_decompressStream(dctx, outS, inS) >>> 0;
      v = new DataView(ex.memory.buffer);
      if (ret > 0xffffffff - 120) throw new Error('libzstd error ' + (0x100000000 - ret));
      const produced = v.getUint32(outS + 8, true);
      total += produced;
      if (v.getUint32(inS + 8, true) >= n && produced < outCap) break;
    }
  }
  const ms = performance.now() - t;
  ex.ZSTD_freeDCtx(dctx);
  return { total, ms };
}
onmessage = async (e) => {
  const { names, passes } = e.data;
  const data = new Uint8Array(await (await fetch('layer')).arrayBuffer());
  const builds = [];
  // zstddec's build imports one hook (memory growth); ours import nothing.
  for (const n of names) builds.push((await WebAssembly.instantiate(await (await fetch(n)).arrayBuffer(), { env: { emscripten_notify_memory_growth() {} } })).instance.exports);
  const out = [];
  for (let p = 0; p < passes; p++) names.forEach((n, i) => out.push({ name: n, pass: p + 1, ...run(builds[i], data) }));
  postMessage(out);
};`;

/** zstddec keeps its WASM as one base64 string in its module. */
function zstddecWasm(): Buffer {
  const js = readFileSync(path.resolve('node_modules/zstddec/dist/zstddec-stream.mjs'), 'utf8');
  const b64 = /"(AGFzbQ[A-Za-z0-9+/=]+)"/.exec(js)?.[1];
  if (!b64) throw new Error('no WASM found in zstddec-stream.mjs');
  return Buffer.from(b64, 'base64');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--passes');
  const passes = at >= 0 ? Number(args.splice(at, 2)[1]) : 3;
  const [dir, layer] = args;
  if (!dir || !layer) throw new Error('usage: bench/zstd-wasm/decode-browser.ts WASM_DIR LAYER.tar.zst [--passes N]');
  const files = new Map<string, Buffer>([['zstddec.wasm', zstddecWasm()]]);
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort()) files.set(f, readFileSync(path.join(dir, f)));
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').slice(1);
    if (name === '') { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>zstd</title>'); return; }
    if (name === 'w.js') { res.writeHead(200, { 'content-type': 'text/javascript' }).end(WORKER); return; }
    if (name === 'layer') { res.writeHead(200, { 'content-length': statSync(layer).size }).end(readFileSync(layer)); return; }
    const wasm = files.get(name);
    if (wasm) res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
    else res.writeHead(404).end();
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const rows = await page.evaluate(({ names, passes }) => new Promise<{ name: string; pass: number; total: number; ms: number }[]>((resolve, reject) => {
      const w = new Worker('w.js');
      w.onmessage = (e) => resolve(e.data);
      w.onerror = (e) => reject(new Error(e.message));
      w.postMessage({ names, passes });
    }), { names: [...files.keys()], passes });
    for (const r of rows) console.log(`${r.name.padEnd(20)} pass ${r.pass}: ${(r.total / 1e6).toFixed(0)} MB in ${r.ms.toFixed(0)} ms, ${(r.total / 1e6 / (r.ms / 1000)).toFixed(0)} MB/s`);
    const plain = rows[0]!.total;
    for (let p = 0; p < passes; p++) {
      const t = process.hrtime.bigint();
      execFileSync('sh', ['-c', 'zstd -dc "$1" > /dev/null', 'sh', layer]);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      console.log(`${'zstd -dc (native)'.padEnd(20)} pass ${p + 1}: ${ms.toFixed(0)} ms, ${(plain / 1e6 / (ms / 1000)).toFixed(0)} MB/s`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
