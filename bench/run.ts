// `npm run bench [-- --quick | --large | --huge] [-- --image <archive>]... [-- --json <file>] [-- --runs N]
//                [-- --no-ui] [-- --no-profile] [-- --no-pipeline] [-- --registry] [-- --ui-profile <dir>]`
// Builds (once, cached) synthetic ML-shaped images in three encodings, runs the real pipeline in
// headless Chromium on each and, in the same run, GNU tar/gzip/zstd/sha256sum on the same layers;
// profiles the layer indexer stage by stage in a Chromium worker; times interactive steps in the
// built app. Prints figures; asserts nothing (see bench/README.md).

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, serve } from './browser';
import { measureInteractions, type InteractionPlan, type StepResult } from './interactions';
import { nativeCommand, timeNative, warmCache, type NativeLayer } from './native';
import { runOurs, runProfile, type OursResult } from './ours';
import { unpackImage } from './real-image';
import { buildSet } from './synth/build';
import { BIG_DIR, SHAPES } from './synth/shapes';
import { printAppVsPage, printProfile, printRows, printSteps, type AppVsPage, type Row } from './report';
import { benchRegistry } from './registry';
import { describeRow, memoryRow, printMemory, printScale, type MemoryRow } from './memory-report';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Args { quick: boolean; huge: boolean; large: boolean; images: string[]; json?: string; runs?: number; ui: boolean; profile: boolean; pipeline: boolean; registry: boolean; uiProfile?: string }

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, huge: false, large: false, images: [], ui: true, profile: true, pipeline: true, registry: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const value = () => argv[++i] ?? (() => { throw new Error(`${k} needs a value`); })();
    if (k === '--quick') a.quick = true;
    else if (k === '--huge') a.huge = true;
    else if (k === '--large') a.large = true;
    else if (k === '--image') a.images.push(path.resolve(value()));
    else if (k === '--json') a.json = path.resolve(value());
    else if (k === '--runs') a.runs = Number(value());
    else if (k === '--no-ui') a.ui = false;
    else if (k === '--no-profile') a.profile = false;
    else if (k === '--no-pipeline') a.pipeline = false;
    else if (k === '--registry') a.registry = true;
    else if (k === '--ui-profile') a.uiProfile = path.resolve(value());
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

export interface Workload {
  workload: string;
  encoding: string;
  archive: string;
  layers: NativeLayer[];
  plan?: InteractionPlan;
}

const log = (s: string) => console.log(s);

function viteBuild(args: string[]): void {
  const r = spawnSync('npx', ['vite', 'build', ...args], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`vite build ${args.join(' ')} failed`);
}

async function workloads(args: Args): Promise<Workload[]> {
  if (args.images.length) {
    const out: Workload[] = [];
    for (const image of args.images) {
      const real = await unpackImage(image, log);
      out.push({ workload: path.basename(image), encoding: real.format, archive: image, layers: real.layers });
    }
    return out;
  }
  if (args.huge) return scaleWorkloads();
  if (args.large) return largeWorkloads();
  const shape = args.quick ? SHAPES.quick : SHAPES.full;
  log(`synthetic image ${shape.name} (cache: ${process.env.STRATA_BENCH_CACHE ?? '~/.cache/strata-bench'})`);
  const set = await buildSet(shape, log);
  const plan: InteractionPlan = { layers: [1, 2], bigDir: BIG_DIR, filterText: 'icon-9999.svg' };
  return [
    { workload: shape.name, encoding: 'docker-save', archive: set.archives['docker-save'], layers: set.layers.map((l) => ({ path: l.tar, compression: 'none' })), plan },
    { workload: shape.name, encoding: 'oci-gzip', archive: set.archives['oci-gzip'], layers: set.layers.map((l) => ({ path: l.gz, compression: 'gzip' })) },
    { workload: shape.name, encoding: 'oci-zstd', archive: set.archives['oci-zstd'], layers: set.layers.map((l) => ({ path: l.zst, compression: 'zstd' })) },
  ];
}

/**
 * `--huge`: the quick, full and huge shapes (0.3, 2 and 10 GB; 39k, 240k and 1M files) in the
 * encodings the huge one has (docker-save, OCI zstd), so the scale table shows what grows with
 * bytes and what with files.
 */
async function scaleWorkloads(): Promise<Workload[]> {
  const out: Workload[] = [];
  for (const shape of [SHAPES.quick, SHAPES.full, SHAPES.huge]) {
    log(`synthetic image ${shape.name} (cache: ${process.env.STRATA_BENCH_CACHE ?? '~/.cache/strata-bench'})`);
    const set = await buildSet(shape, log);
    out.push({ workload: shape.name, encoding: 'docker-save', archive: set.archives['docker-save'], layers: set.layers.map((l) => ({ path: l.tar, compression: 'none' })), plan: { layers: [1, 2], bigDir: BIG_DIR, filterText: 'icon-9999.svg' } });
    out.push({ workload: shape.name, encoding: 'oci-zstd', archive: set.archives['oci-zstd'], layers: set.layers.map((l) => ({ path: l.zst, compression: 'zstd' })) });
  }
  return out;
}

/** `--large`: only the 3 GB / 300k-file shape, in the encodings it has (docker-save, OCI zstd). */
async function largeWorkloads(): Promise<Workload[]> {
  const shape = SHAPES.large;
  log(`synthetic image ${shape.name} (cache: ${process.env.STRATA_BENCH_CACHE ?? '~/.cache/strata-bench'})`);
  const set = await buildSet(shape, log);
  return [
    { workload: shape.name, encoding: 'docker-save', archive: set.archives['docker-save'], layers: set.layers.map((l) => ({ path: l.tar, compression: 'none' })), plan: { layers: [1, 2], bigDir: BIG_DIR, filterText: 'icon-9999.svg' } },
    { workload: shape.name, encoding: 'oci-zstd', archive: set.archives['oci-zstd'], layers: set.layers.map((l) => ({ path: l.zst, compression: 'zstd' })) },
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// On a shared machine the fastest run is the one least disturbed by others: times are best-of-N,
// the same estimator for ours and native; medians go to the JSON too.
const best = (xs: number[]) => Math.min(...xs);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const runs = args.runs ?? (args.quick && !args.huge ? 3 : 1);
  const work = await workloads(args);
  log(`load average at the start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  if (args.registry) {
    // Synthetic sets: the OCI encodings, whose blobs the registry holds unchanged.
    await benchRegistry(work.filter((w) => args.images.length || w.encoding.startsWith('oci')), args.runs ?? 1, log);
    return;
  }

  log('building the bench page (bench/vite.config.ts -> .cache/bench-dist)');
  viteBuild(['--config', 'bench/vite.config.ts']);
  const appDir = path.join(repo, '.cache', 'bench-app');
  if (args.ui) {
    log('building the app (vite build -> .cache/bench-app)');
    // Profiled: unminified, so the profiles name our functions.
    viteBuild(['--outDir', appDir, '--emptyOutDir', ...(args.uiProfile ? ['--minify', 'false'] : [])]);
  }

  const browser = await launchChromium();
  const bench = await serve(path.join(repo, '.cache', 'bench-dist'));
  const rows: Row[] = [];
  const memory: MemoryRow[] = [];
  const steps: StepResult[] = [];
  let appVsPage: AppVsPage | undefined;
  try {
    for (const w of args.pipeline ? work : []) {
      log(`\n${w.workload} ${w.encoding}: ${w.archive}`);
      await warmCache([w.archive, ...w.layers.map((l) => l.path)]);
      const ours: OursResult[] = [];
      const oursNoVerify: OursResult[] = [];
      const list: { seconds: number; cpuSeconds: number }[] = [];
      const verify: { seconds: number; cpuSeconds: number }[] = [];
      for (let r = 0; r < runs; r++) {
        list.push(await timeNative(w.layers, 'list'));
        verify.push(await timeNative(w.layers, 'verify'));
        ours.push(await runOurs(browser, bench.url, w.archive, 30 * 60_000));
        oursNoVerify.push(await runOurs(browser, bench.url, w.archive, 30 * 60_000, false));
        log(`  run ${r + 1} without digest checks: ours ${oursNoVerify.at(-1)!.seconds.toFixed(2)} s, ${oursNoVerify.at(-1)!.cpuSeconds.toFixed(1)} CPU s`);
        const o = ours.at(-1)!;
        log(`  run ${r + 1}: ours ${o.seconds.toFixed(2)} s, ${o.cpuSeconds.toFixed(1)} CPU s (graph ${o.graphMs.toFixed(0)} ms, first analysis ${o.firstAnalysisMs.toFixed(0)} ms, layers indexed ${o.lastLayerMs.toFixed(0)} ms, then merge+analysis ${(o.seconds * 1000 - o.lastLayerMs).toFixed(0)} ms), native list ${list.at(-1)!.seconds.toFixed(2)} s, native verify ${verify.at(-1)!.seconds.toFixed(2)} s, ${verify.at(-1)!.cpuSeconds.toFixed(1)} CPU s`);
      }
      const bad = ours[0]!.verification.filter((v) => v !== 'verified');
      if (bad.length) log(`  note: ${bad.length} layer(s) not verified (${bad.join(', ')}); warnings: ${ours[0]!.warnings.slice(0, 3).join(' | ')}`);
      rows.push(summarise(w, ours, list, verify));
      rows.push(summarise(w, oursNoVerify, list, verify, false));
      memory.push(memoryRow(w.workload, w.encoding, true, ours), memoryRow(w.workload, w.encoding, false, oursNoVerify));
      // As it goes: a --huge run takes hours, and its tables print only at the end.
      for (const m of memory.slice(-2)) log(`  memory, verify ${m.verify ? 'yes' : 'no'}: ${describeRow(m)} (load ${os.loadavg()[0]!.toFixed(1)})`);
    }
    if (args.profile) {
      for (const w of work) {
        log(`\nprofiling the layer indexer on ${w.workload} ${w.encoding} layers (one worker, one layer at a time)`);
        const report = await runProfile(browser, bench.url, w.layers.map((l) => l.path), args.quick ? 2 : 1, 60 * 60_000);
        printProfile(`${w.workload} ${w.encoding}`, report);
      }
    }
    if (args.ui) {
      const target = work.findLast((w) => w.plan) ?? work[0]!;
      log(`\ninteractive steps in the app on ${target.workload} ${target.encoding}`);
      const app = await serve(appDir);
      try {
        const r = await measureInteractions(browser, app.url, target.archive, target.plan ?? { layers: [0, Math.min(1, target.layers.length - 1)] }, args.uiProfile ? { profileDir: args.uiProfile } : {});
        if (args.uiProfile) log(`CPU profiles of the page's main thread per step in ${args.uiProfile} (profiled run: its times are slower than unprofiled ones)`);
        steps.push(...r.steps);
        if (r.graphMs !== undefined) steps.unshift({ step: 'app: layer graph drawn after the file is chosen (once)', p95Ms: r.graphMs });
        if (r.loadedMs !== undefined) steps.unshift({ step: 'app: progress panel gone after the file is chosen (once)', p95Ms: r.loadedMs });
        const page = rows.find((row) => row.workload === target.workload && row.encoding === target.encoding && row.verify);
        if (r.loadedMs !== undefined && page) {
          appVsPage = { workload: target.workload, encoding: target.encoding, appSeconds: r.loadedMs / 1000, pageSeconds: page.oursSeconds, ratio: r.loadedMs / 1000 / page.oursSeconds };
        }
      } finally {
        app.server.close();
      }
    }
  } finally {
    bench.server.close();
    await browser.close();
  }

  log(`\nnative commands (parallel ${os.cpus().length}): list = \`${nativeCommand('L', 'gzip', 'list')}\` (or zstd -dc, or tar -tf L); verify = \`${nativeCommand('L', 'gzip', 'verify')}\``);
  log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (other work on the machine skews figures)`);
  printRows(rows, runs);
  printMemory(memory, `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  printScale(memory);
  if (steps.length) printSteps(steps);
  if (appVsPage) printAppVsPage(appVsPage);
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ rows, memory, ...(appVsPage ? { appVsPage } : {}), interactions: steps.map((s) => ({ step: s.step, p95Ms: s.p95Ms, ...(s.firstMs !== undefined ? { firstMs: s.firstMs } : {}), ...(s.mainCpuMs !== undefined ? { mainCpuMs: s.mainCpuMs, workerCpuMs: s.workerCpuMs } : {}), ...(s.note ? { note: s.note } : {}) })) }, null, 2));
    log(`\nwrote ${args.json}`);
  }
}

type NativeTime = { seconds: number; cpuSeconds: number };

/** A row with digest checks (against native + sha256sum) or without (against native listing). */
function summarise(w: Workload, ours: OursResult[], listTimes: NativeTime[], verifyTimes: NativeTime[], checked = true): Row {
  const seconds = best(ours.map((o) => o.seconds));
  const lists = listTimes.map((t) => t.seconds);
  const verifies = verifyTimes.map((t) => t.seconds);
  const list = best(lists);
  const verify = best(verifies);
  const oursCpu = best(ours.map((o) => o.cpuSeconds));
  const nativeCpu = best((checked ? verifyTimes : listTimes).map((t) => t.cpuSeconds));
  const mb = ours[0]!.uncompressedBytes / 1e6;
  const common = {
    workload: w.workload, encoding: w.encoding, uncompressedMB: mb, files: ours[0]!.files,
    graphMs: best(ours.map((o) => o.graphMs)),
    indexMs: best(ours.map((o) => o.lastLayerMs)),
    explorableMs: best(ours.map((o) => o.firstAnalysisMs)),
    medians: { oursSeconds: median(ours.map((o) => o.seconds)), nativeSeconds: median(verifies), nativeListSeconds: median(lists), graphMs: median(ours.map((o) => o.graphMs)) },
    peakHeapMB: Math.max(...ours.map((o) => o.peakHeapMB)),
    peakProcessMB: Math.max(...ours.map((o) => o.peakRendererMB)),
    peakChromiumMB: Math.max(...ours.map((o) => o.peakChromiumMB)),
    nativeListSeconds: list,
    oursCpuSeconds: oursCpu,
    nativeCpuSeconds: nativeCpu,
    nativeListCpuSeconds: best(listTimes.map((t) => t.cpuSeconds)),
  };
  const native = checked ? verify : list;
  return { ...common, verify: checked, oursSeconds: seconds, nativeSeconds: native, ratio: seconds / native, mbPerSecond: mb / seconds };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
