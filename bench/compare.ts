// Compare benchmark: the bench's two largest images (the synthetic ml-full, ~2 GB / 240k files,
// against ml-quick, ~300 MB / 40k files: the same paths with other sizes, like two versions of one
// ML image), or any two archives. Each archive is read and analysed in-process, as the CLI does;
// then compareImages and the report are timed, with memory, beside a native baseline that diffs
// the two images' layer listings by path and size (GNU tar, sort, comm). Run:
//   npx tsx bench/compare.ts                      (builds and caches both synthetic images first)
//   npx tsx bench/compare.ts --a A.tar --b B.tar
//   node --expose-gc --import tsx bench/compare.ts (adds the retained heap after GC)
// Figures only; nothing here passes or fails.

import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { analyseImage } from '../src/core/analysis/analyse-image';
import { compareImages, compareMarkdown, compareReport, type CompareInput } from '../src/core/compare';
import { readArchive } from '../src/core/pipeline/read-archive';
import { FileByteSource } from '../src/cli/file-source';
import { installNodeSha256 } from '../src/cli/node-hash';
import { buildSet } from './synth/build';
import { SHAPES } from './synth/shapes';

const gc = (globalThis as { gc?: () => void }).gc;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);

function memory(label: string): void {
  gc?.();
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  console.log(`${label.padEnd(40)} rss ${mib(m.rss)}, heap ${mib(m.heapUsed)}, array buffers ${mib(m.arrayBuffers)}${gc ? ' (after GC)' : ''}`);
}

async function timed<T>(label: string, fn: () => T | Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const v = await fn();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  console.log(`${label.padEnd(40)} ${ms.toFixed(0).padStart(7)} ms (CPU ${((used.user + used.system) / 1000).toFixed(0)} ms)`);
  return [v, ms];
}

async function load(path: string, name: string): Promise<CompareInput> {
  const [r] = await timed(`read ${name}`, async () => {
    const file = await FileByteSource.open(path);
    return readArchive(file, { name }).finally(() => file.dispose());
  });
  const image = r.images[0]!;
  const [analysis] = await timed(`analyse ${name}`, () => analyseImage(image, r.results));
  return { name, image, analysis };
}

/** Native: every layer's `tar -tv` listing reduced to "path size", sorted, then `comm -3`. */
function nativeBaseline(a: string[], b: string[]): number {
  const list = (tars: string[]) => tars.map((t) => `tar -tvf '${t}'`).join('; ');
  const script = `set -o pipefail; comm -3 <( (${list(a)}) | awk '{print $6, $3}' | LC_ALL=C sort -u) <( (${list(b)}) | awk '{print $6, $3}' | LC_ALL=C sort -u) | wc -l`;
  const t = performance.now();
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  const ms = performance.now() - t;
  console.log(`${'native: tar -tv | sort | comm -3'.padEnd(40)} ${ms.toFixed(0).padStart(7)} ms (${r.stdout.trim()} lines differ)`);
  return ms;
}

async function main(): Promise<void> {
  installNodeSha256();
  const argv = process.argv.slice(2);
  const flag = (k: string) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : undefined; };
  let pathA = flag('--a');
  let pathB = flag('--b');
  let tarsA: string[] = [];
  let tarsB: string[] = [];
  if (!pathA || !pathB) {
    const full = await buildSet(SHAPES.full, console.log);
    const quick = await buildSet(SHAPES.quick, console.log);
    [pathA, pathB] = [quick.archives['docker-save'], full.archives['docker-save']];
    [tarsA, tarsB] = [quick.layers.map((l) => l.tar), full.layers.map((l) => l.tar)];
  }
  console.log(`load average at the start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  memory('start');
  const a = await load(pathA, 'A');
  const b = await load(pathB, 'B');
  memory('both images analysed');
  const [cmp, compareMs] = await timed('compareImages', () => compareImages(a, b));
  memory('compared');
  const [report, reportMs] = await timed('compareReport (JSON objects)', () => compareReport(cmp));
  const [json] = await timed('JSON.stringify', () => JSON.stringify(report));
  const [md] = await timed('compareMarkdown', () => compareMarkdown(report));
  memory('report built');
  const f = report.files;
  console.log(`A ${f.countA} files ${mib(f.bytesA)}, B ${f.countB} files ${mib(f.bytesB)}; ${report.paths.length} paths differ, ${report.directories.length} directories, JSON ${mib(json.length)}, Markdown ${(md.length / 1000).toFixed(1)} kB`);
  console.log(`layers: ${report.layers.map((l) => l.relation).join(', ')}`);
  const native = tarsA.length ? nativeBaseline(tarsA, tarsB) : undefined;
  clearInterval(sampler);
  console.log(`\ncompare row: compareImages ${compareMs.toFixed(0)} ms + report ${reportMs.toFixed(0)} ms` +
    `${native === undefined ? '' : `, native listing diff ${native.toFixed(0)} ms`}; peak rss ${mib(Math.max(peakRss, process.resourceUsage().maxRSS * 1024))}`);
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
