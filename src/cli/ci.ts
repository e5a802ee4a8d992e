// `npm run ci -- IMAGE|REFERENCE [--ci-config FILE] [--lowestEfficiency X ...] [--baseline IMAGE] [--json F] [--junit F] [--sarif F] [--github]`
// The CI gate: a drop-in for `CI=true dive IMAGE` (same rules, same verdicts, output in dive's
// shape) over an image archive, plus machine-readable results. Exit codes: 0 pass, 1 a rule failed,
// 2 the configuration (file or flags) is wrong, 3 the image (or the base or baseline image) could
// not be read. dive exits 1 for all three, so a check for "non-zero" keeps working. With
// `--baseline IMAGE` the growth rules judge the compare report of the baseline against this image
// (core/compare, the same figures `npm run compare -- BASELINE IMAGE` prints).

import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readArchive, type ArchiveResult } from '../core/pipeline/read-archive';
import { buildReport } from '../core/report/json-report';
import type { StrataReport } from '../core/report/report-format';
import { WARNING_SEVERITY } from '../core/types';
import { analyseImage, type ImageAnalysisResult } from '../core/analysis/analyse-image';
import { compareImages, compareReport } from '../core/compare';
import {
  ANSI, PLAIN, ciReport, evaluateGate, figureLines, gateReport, githubAnnotations, githubSummary, junitReport,
  loadGateConfig, misconfiguredReport, quoteForTerminal, escapeForTerminal, sarifReport, sharedBaseLayers, baselineFigures,
  FLOOR_KEYS, RULE_KEYS, type BaselineFigures, type ConfigProblem, type GateConfig, type GateFlags, type GateResult,
} from '../core/gate';
import { analyseImages } from './analyses';
import { installNodeSha256 } from './node-hash';
import { FileByteSource } from './file-source';
import { looksLikePath, readRegistryImage } from './registry-image';

const USAGE = `usage: strata ci IMAGE [--ci-config FILE] [--RULE VALUE ...] [--warn RULE] [--ignore GLOB]   (in a checkout: npm run ci -- IMAGE ...)
         [--base IMAGE | --base-layers N] [--baseline IMAGE] [--json FILE] [--junit FILE] [--sarif FILE] [--github]
rules: ${RULE_KEYS.join(', ')}
floors: ${FLOOR_KEYS.join(', ')}`;

export const EXIT = { pass: 0, fail: 1, misconfigured: 2, unreadable: 3 } as const;

interface Out { write(s: string): void; isTTY?: boolean }

class Unreadable extends Error {}

export async function runCi(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  installNodeSha256();
  const args = readArgs(argv);
  if ('usage' in args) {
    (args.help ? out : err).write(`${args.usage}\n`);
    return args.help ? EXIT.pass : EXIT.misconfigured;
  }
  const style = out.isTTY && !process.env.NO_COLOR ? ANSI : PLAIN;
  const config = await readConfig(args.configFile, args.explicitConfig, args.flags, out);
  if (!config.ok) {
    out.write(`${misconfiguredReport(config.problems, style)}\n`);
    return EXIT.misconfigured;
  }
  for (const k of config.config.unknown) err.write(`strata ci: ignoring unknown rule '${escapeForTerminal(k)}' in ${escapeForTerminal(args.configFile)}\n`);

  let read: ArchiveResult;
  let baselineRead: ArchiveResult | undefined;
  try {
    out.write(`${style.bold('Image:')} ${quoteForTerminal(args.image)}\n${style.bold('Analyzing image...')}\n`);
    read = await readImage(args.image, args.platform, args.verify, err);
    if (config.config.baseImage) await applyBase(config.config, read, args.platform, out);
    if (config.config.baselineImage) baselineRead = await readBaseline(config.config.baselineImage, args, err);
  } catch (e) {
    err.write(`strata ci: ${escapeForTerminal(e instanceof Error ? e.message : String(e))}\n`);
    return EXIT.unreadable;
  }
  const damage = reportWarnings(read, '', err);
  const baselineDamage = baselineRead ? reportWarnings(baselineRead, 'baseline image: ', err) : 0;
  const analyses = analyseImages(read);
  const baseline = baselineRead ? compareWithBaseline(config.config.baselineImage!, baselineRead, args.image, read, analyses.get(0)) : undefined;
  const gate = evaluateGate(analyses.get(0), config.config.rules, config.config.scope, baseline);
  out.write(`${figureLines(gate).join('\n')}\n${gateReport(gate, style)}\n`);

  const written = await writeOutputs(args, gate, read, analyses, out, err);
  // Figures over a damaged image judge only what could be read: no verdict to trust (dive, which
  // stops at the first bad byte, would not have given one either).
  if (damage > 0 || baselineDamage > 0) {
    for (const [n, what] of [[damage, 'image'], [baselineDamage, 'baseline image']] as const) {
      if (n > 0) err.write(`strata ci: the ${what} is damaged (${n} problem${n === 1 ? '' : 's'} above): the results judge only what could be read\n`);
    }
    return EXIT.unreadable;
  }
  if (!written) return EXIT.misconfigured;
  return gate.result === 'fail' ? EXIT.fail : EXIT.pass;
}

/** Prints the archive's warnings; returns how many are damage (not a note). */
function reportWarnings(read: ArchiveResult, prefix: string, err: Out): number {
  let damage = 0;
  for (const w of read.summary.warnings) {
    const where = [w.layer !== undefined ? `layer ${w.layer}` : '', w.entry ?? '', w.offset !== undefined ? `offset ${w.offset}` : ''].filter(Boolean).join(', ');
    const severity = WARNING_SEVERITY[w.code] ?? 'damage';
    if (severity === 'damage') damage++;
    err.write(`strata ci: ${prefix}${severity === 'damage' ? 'damaged' : 'note'} [${w.code}] ${escapeForTerminal(w.message)}${where ? ` (${escapeForTerminal(where)})` : ''}\n`);
  }
  return damage;
}

interface Args {
  image: string;
  configFile: string;
  explicitConfig: boolean;
  flags: GateFlags;
  platform?: string;
  verify: boolean;
  json?: string;
  junit?: string;
  sarif?: string;
  github: boolean;
}

function readArgs(argv: string[]): Args | { usage: string; help: boolean } {
  const ruleOptions = Object.fromEntries([...RULE_KEYS, ...FLOOR_KEYS].map((k) => [k, { type: 'string' as const }]));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...ruleOptions,
        'ci-config': { type: 'string' },
        json: { type: 'string' }, junit: { type: 'string' }, sarif: { type: 'string' },
        github: { type: 'boolean', default: false },
        warn: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        base: { type: 'string' },
        'base-layers': { type: 'string' },
        baseline: { type: 'string' },
        platform: { type: 'string' },
        'no-verify': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return { usage: `strata ci: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`, help: false };
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { usage: USAGE, help: true };
  if (positionals.length !== 1) return { usage: `strata ci: expected one image archive, got ${positionals.length}\n${USAGE}`, help: false };
  const rules: Record<string, string> = {};
  for (const k of [...RULE_KEYS, ...FLOOR_KEYS]) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'string') rules[k] = x;
  }
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return {
    image: positionals[0]!,
    configFile: str(v['ci-config']) ?? '.dive-ci',
    explicitConfig: v['ci-config'] !== undefined,
    flags: {
      rules,
      ...(v.warn ? { warn: v.warn as string[] } : {}),
      ...(v.ignore ? { ignore: v.ignore as string[] } : {}),
      ...(str(v['base-layers']) !== undefined ? { baseLayers: str(v['base-layers'])! } : {}),
      ...(str(v.base) !== undefined ? { baseImage: str(v.base)! } : {}),
      ...(str(v.baseline) !== undefined ? { baselineImage: str(v.baseline)! } : {}),
    },
    ...(str(v.platform) ? { platform: str(v.platform)! } : {}),
    verify: !v['no-verify'],
    ...(str(v.json) ? { json: str(v.json)! } : {}),
    ...(str(v.junit) ? { junit: str(v.junit)! } : {}),
    ...(str(v.sarif) ? { sarif: str(v.sarif)! } : {}),
    github: v.github === true,
  };
}

async function readConfig(file: string, explicit: boolean, flags: GateFlags, out: Out) {
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
    out.write(`  Using CI config: ${quoteForTerminal(file)}\n`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // dive falls back to its defaults when the file is missing, even one named with --ci-config;
    // a file the user named and we cannot read is a mistake worth stopping for.
    if (explicit || code !== 'ENOENT') {
      const problem: ConfigProblem = { key: '--ci-config', message: `cannot read the config file: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, where: file };
      return { ok: false as const, problems: [problem] };
    }
    out.write('  Using default CI config\n');
  }
  return loadGateConfig(text, file, flags);
}

async function readImage(path: string, platform: string | undefined, verify: boolean, err?: Out): Promise<ArchiveResult> {
  const info = await stat(path).catch(() => undefined);
  let result: ArchiveResult;
  if (!info?.isFile()) {
    if (info || looksLikePath(path)) throw new Unreadable(`cannot read image ${path}: ${info ? 'not a file' : 'no such file'}`);
    // Not a file: an image reference, pulled straight from its registry as `analyze` does.
    const pulled = await readRegistryImage(path, {
      verify, ...(platform ? { platform } : {}), note: (line) => err?.write(`strata ci: ${escapeForTerminal(line)}\n`),
    });
    if (typeof pulled === 'string') throw new Unreadable(`cannot read image ${path}: ${pulled}`);
    return checkImage(pulled, path);
  }
  try {
    const file = await FileByteSource.open(path);
    result = await readArchive(file, { name: basename(path), verify, ...(platform ? { platform } : {}) }).finally(() => file.dispose());
  } catch (e) {
    throw new Unreadable(`cannot read image ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return checkImage(result, path);
}

function checkImage(result: ArchiveResult, path: string): ArchiveResult {
  // dive reads images, not filesystems: a tar without a manifest is not something it can judge.
  if (result.summary.format === 'plain-tar') throw new Unreadable(`cannot read image ${path}: a plain tar archive with no image manifest (docker save, OCI layout or kaniko expected)`);
  if (result.images.length === 0) throw new Unreadable(`cannot read image ${path}: the archive names no image`);
  return result;
}

/** `base: {image: FILE}`: the layers this image shares with it, bottom up, are the base. */
async function applyBase(config: GateConfig, image: ArchiveResult, platform: string | undefined, out: Out): Promise<void> {
  const path = config.baseImage!;
  const base = await readImage(path, platform, false).catch((e: unknown) => {
    throw new Unreadable(`base image: ${e instanceof Error ? e.message : String(e)}`);
  });
  const shared = sharedBaseLayers(image.images[0]!.record.layers, base.images[0]!.record.layers);
  config.scope.baseLayers = shared;
  out.write(`  base image: ${quoteForTerminal(path)} (${shared} layer${shared === 1 ? '' : 's'} shared, left out)\n`);
}

/** `--baseline IMAGE`: read as IMAGE is (an archive path, its first image, or a reference). */
async function readBaseline(name: string, args: Args, err: Out): Promise<ArchiveResult> {
  return readImage(name, args.platform, args.verify, err).catch((e: unknown) => {
    throw new Unreadable(`baseline image: ${e instanceof Error ? e.message : String(e)}`);
  });
}

/** The compare report of the baseline (A) against this image (B), as `npm run compare` makes it. */
function compareWithBaseline(name: string, baseline: ArchiveResult, imageName: string, image: ArchiveResult, analysis: ImageAnalysisResult): BaselineFigures {
  const a = { name, image: baseline.images[0]!, analysis: analyseImage(baseline.images[0]!, baseline.results) };
  const b = { name: imageName, image: image.images[0]!, analysis };
  return baselineFigures(compareReport(compareImages(a, b)), name);
}

async function writeOutputs(args: Args, gate: GateResult, read: ArchiveResult, analyses: ReturnType<typeof analyseImages>, out: Out, err: Out): Promise<boolean> {
  const tasks: [string | undefined, () => string][] = [
    [args.json, () => {
      const report: StrataReport = { ...buildReport({ summary: read.summary, images: read.images, ...analyses.reportParts() }), ci: ciReport(gate) };
      return `${JSON.stringify(report, null, 1)}\n`;
    }],
    [args.junit, () => junitReport(gate, args.image)],
    [args.sarif, () => `${JSON.stringify(sarifReport(gate, args.image), null, 1)}\n`],
  ];
  let ok = true;
  for (const [file, render] of tasks) {
    if (!file) continue;
    try {
      await writeFile(file, render());
    } catch (e) {
      err.write(`strata ci: cannot write ${escapeForTerminal(file)}: ${(e as Error).message}\n`);
      ok = false;
    }
  }
  if (args.github) ok = (await writeGithub(gate, args.image, out, err)) && ok;
  return ok;
}

async function writeGithub(gate: GateResult, image: string, out: Out, err: Out): Promise<boolean> {
  for (const line of githubAnnotations(gate, image)) out.write(`${line}\n`);
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) {
    err.write('strata ci: --github: GITHUB_STEP_SUMMARY is not set; no step summary written\n');
    return true;
  }
  try {
    await appendFile(file, githubSummary(gate, image));
    return true;
  } catch (e) {
    err.write(`strata ci: cannot append the step summary to ${escapeForTerminal(file)}: ${(e as Error).message}\n`);
    return false;
  }
}

// Run when executed (tsx src/cli/ci.ts, or the bundle's `strata ci`), never a crash: anything
// unexpected is reported and exits 3, since no verdict was reached.
export function main(argv = process.argv.slice(2)): void {
  // `strata ci image.tar | head`: a closed pipe ends the output, not the process with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exitCode ??= EXIT.pass;
    });
  }
  runCi(argv).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`strata ci: ${escapeForTerminal(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = EXIT.unreadable;
    },
  );
}

// The bundled `strata` command imports this module and calls main itself.
if (/[\\/]ci\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) main();
