// `npx tsx bench/ab.ts ARCHIVE --dist A --dist B [--dist C...] [--runs N] [--no-verify]`
// Loads one archive in two or more builds of the bench page (each a `vite build --config
// bench/vite.config.ts --outDir DIR` of some commit), alternating A, B, A, B... in one browser, a
// fresh context per load, so that every build meets the same machine in the same minutes. Prints
// each load (total, first tree, first tree of every layer, renderer CPU, page process RSS) and the
// median per build. Prints figures; asserts nothing.

import os from 'node:os';
import path from 'node:path';
import { launchChromium, serve } from './browser';
import { runOurs, type OursResult } from './ours';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dists: string[] = [];
  let runs = 3;
  let archive: string | undefined;
  let verify = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--dist') dists.push(path.resolve(args[++i]!));
    else if (a === '--runs') runs = Number(args[++i]);
    else if (a === '--no-verify') verify = false;
    else archive = path.resolve(a);
  }
  if (!archive || dists.length < 1) throw new Error('usage: bench/ab.ts ARCHIVE --dist A --dist B [--runs N] [--no-verify]');
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`${path.basename(archive)}, verify ${verify ? 'yes' : 'no'}, ${runs} runs per build; load average ${load()}`);
  const browser = await launchChromium();
  const servers = await Promise.all(dists.map((d) => serve(d)));
  const results: OursResult[][] = dists.map(() => []);
  try {
    for (let r = 0; r < runs; r++) {
      for (let d = 0; d < dists.length; d++) {
        const x = await runOurs(browser, servers[d]!.url, archive, 30 * 60_000, verify);
        results[d]!.push(x);
        console.log(`  ${String.fromCharCode(65 + d)} run ${r + 1}: ${x.seconds.toFixed(2)} s, first tree ${(x.firstTreeMs / 1000).toFixed(2)} s `
          + `(${((x.firstTreeMs / 1000 / x.seconds) * 100).toFixed(0)} %), every layer's tree ${(x.firstAnalysisMs / 1000).toFixed(2)} s, CPU ${x.cpuSeconds.toFixed(2)} s, page RSS ${x.pageProcess.rssMB.toFixed(0)} MB`);
      }
    }
  } finally {
    await browser.close();
    for (const s of servers) s.server.close();
  }
  console.log(`load average at the end ${load()}`);
  dists.forEach((d, i) => {
    const xs = results[i]!;
    console.log(`${String.fromCharCode(65 + i)} ${d}: median ${median(xs.map((x) => x.seconds)).toFixed(2)} s, first tree `
      + `${median(xs.map((x) => x.firstTreeMs / 1000)).toFixed(2)} s, every layer's ${median(xs.map((x) => x.firstAnalysisMs / 1000)).toFixed(2)} s, CPU ${median(xs.map((x) => x.cpuSeconds)).toFixed(2)} s, `
      + `page RSS ${median(xs.map((x) => x.pageProcess.rssMB)).toFixed(0)} MB`);
  });
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
