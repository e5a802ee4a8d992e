// `npx tsx bench/worker-profile.ts ARCHIVE OUT.cpuprofile [--dist DIR] [--thread engine] [--until first|done] [--no-verify]`
// A CPU profile of one thread of the bench page (the engine worker by default, or `page`,
// `layer 1`...) while it loads ARCHIVE, from the file's choice to the first tree ('first': the
// first 'analysis' event) or to the end ('done'); a layer worker's from its start, which is
// also its first job (`layer 1` takes the largest layer when the digests are not split). Build the page unminified to read the names:
// `npx vite build --config bench/vite.config.ts --outDir DIR --minify false`. Then
// `npx tsx bench/cpuprofile-summary.ts OUT.cpuprofile` says where the time went. The profiler
// slows the thread: its times are for finding costs, not figures.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, serve } from './browser';
import { ThreadSampler } from './memory';
import type { BenchWindow } from './page/main';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
  const [archive, out] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.match(/^--(dist|thread|until)$/));
  if (!archive || !out) throw new Error('usage: bench/worker-profile.ts ARCHIVE OUT.cpuprofile [--dist DIR] [--thread engine] [--until first|done]');
  const dist = path.resolve(opt('--dist') ?? path.join(repo, '.cache', 'bench-dist'));
  const thread = opt('--thread') ?? 'engine';
  const until = opt('--until') ?? 'first';
  const browser = await launchChromium();
  const server = await serve(dist);
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(args.includes('--no-verify') ? `${server.url}?noverify` : server.url);
    const sampler = await ThreadSampler.attach(page);
    // The page starts its engine at once; the layer workers start with the first layer job, so
    // a layer worker's profile starts when it does (what it does first is missed).
    const appear = async () => {
      for (let i = 0; i < 600 && !sampler.labels.includes(thread); i++) await new Promise((r) => setTimeout(r, 10));
    };
    const layerThread = thread.startsWith('layer');
    if (!layerThread) { await appear(); await sampler.startProfile(thread); }
    await page.locator('#archive').setInputFiles(path.resolve(archive));
    if (layerThread) { await appear(); await sampler.startProfile(thread); }
    await page.waitForFunction((first) => {
      const run = (window as unknown as { __bench: BenchWindow }).__bench.run;
      return first ? (run?.analysisMs.length ?? 0) > 0 : run !== undefined && run.state !== 'running';
    }, until === 'first', { timeout: 30 * 60_000, polling: 20 });
    writeFileSync(out, await sampler.stopProfile(thread));
    const run = await page.evaluate(() => (window as unknown as { __bench: BenchWindow }).__bench.run);
    console.log(`${thread} profiled to ${until === 'first' ? `the first tree at ${Math.min(...run!.analysisMs).toFixed(0)} ms` : `the end at ${run!.doneMs?.toFixed(0)} ms`}: ${out}`);
  } finally {
    await browser.close();
    server.server.close();
  }
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
