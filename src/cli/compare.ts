// `npm run compare -- A B [--json FILE] [--markdown FILE] [--platform os/arch] [--ignore GLOB]...
//  [--include-mtime] [--exit-code] [--image-a N|TAG] [--image-b N|TAG] [--no-verify] [--diff PATH]`
// A and B are archives, `archive#N` / `archive#tag` for one image of several, or one archive
// holding exactly two images. Exit codes as `git diff --exit-code`: 0 the same, 1 they differ
// (only with --exit-code), 2 an input cannot be read or does not name one image. `--diff PATH`
// prints that file's line diff (diff-file.ts) instead of the report.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyseImage } from '../core/analysis/analyse-image';
import { mergeLayers, type MergedImage } from '../core/merge';
import { compareImages, compareMarkdown, compareReport, type CompareInput } from '../core/compare';
import { compareText } from './compare-text';
import { InputError, InputReader, pickImage, type ResolvedInput } from './compare-input';
import { installNodeSha256 } from './node-hash';
import { quoteForTerminal } from '../core/format';
import { endQuietlyOnClosedPipe } from './closed-pipe';
import { DiffError, diffFile, type DiffSide } from './diff-file';
import { ContentError } from '../core/contents';

const USAGE = 'usage: strata compare <A> [<B>] [--json FILE] [--markdown FILE] [--platform os/arch] [--ignore GLOB]... [--include-mtime] [--exit-code] [--image-a N|TAG] [--image-b N|TAG] [--no-verify] [--diff PATH]   (in a checkout: npm run compare -- ...)';

async function main(argv: string[]): Promise<number> {
  installNodeSha256();
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'string' },
        markdown: { type: 'string' },
        platform: { type: 'string' },
        ignore: { type: 'string', multiple: true, default: [] },
        'include-mtime': { type: 'boolean', default: false },
        'exit-code': { type: 'boolean', default: false },
        'image-a': { type: 'string' },
        'image-b': { type: 'string' },
        'no-verify': { type: 'boolean', default: false },
        diff: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    process.stderr.write(`strata: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length < 1 || positionals.length > 2) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const reader = new InputReader({ verify: !values['no-verify'], platform: values.platform, keepOpen: values.diff !== undefined });
  let inputs: [ResolvedInput, ResolvedInput];
  try {
    inputs = await resolveInputs(reader, positionals, values['image-a'], values['image-b']);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`strata: ${e.message}\n`);
    return 2;
  }
  for (const input of new Set(inputs.map((i) => i.result))) warn(input);
  if (values.diff !== undefined) return printDiff(inputs, values.diff, values['exit-code']);
  const a = toCompareInput(inputs[0]);
  // An image compared with itself is analysed once.
  const b = inputs[1].result === inputs[0].result && inputs[1].index === inputs[0].index ? { ...a, name: inputs[1].name } : toCompareInput(inputs[1]);
  const report = compareReport(compareImages(a, b, { includeMtime: values['include-mtime'], ignore: values.ignore }));
  process.stdout.write(compareText(report));
  if (values.json) {
    await writeFile(values.json, `${JSON.stringify(report, null, 1)}\n`);
    process.stdout.write(`report written to ${quoteForTerminal(values.json)}\n`);
  }
  if (values.markdown) {
    await writeFile(values.markdown, compareMarkdown(report));
    process.stdout.write(`markdown written to ${quoteForTerminal(values.markdown)}\n`);
  }
  return values['exit-code'] && !report.same ? 1 : 0;
}

/** Two specs, or one archive holding exactly two images (compared first against second). */
async function resolveInputs(reader: InputReader, specs: string[], imageA?: string, imageB?: string): Promise<[ResolvedInput, ResolvedInput]> {
  const first = await reader.open({ text: specs[0]!, image: imageA });
  const second = await reader.open({ text: specs[1] ?? specs[0]!, image: imageB });
  const sameArchive = first.result === second.result;
  if (specs.length === 1 && first.result.summary.images.length !== 2 && (imageA === undefined || imageB === undefined)) {
    throw new InputError(`${quoteForTerminal(first.path)} holds ${first.result.summary.images.length} image(s): name two inputs, or --image-a and --image-b`);
  }
  const a = pickImage(first.result, first.path, first.selector, sameArchive ? 0 : undefined);
  const b = pickImage(second.result, second.path, second.selector, sameArchive ? 1 : undefined);
  return [a, b];
}

function toCompareInput(x: ResolvedInput): CompareInput {
  const image = x.result.images[x.index]!;
  return { name: x.name, image, analysis: analyseImage(image, x.result.results) };
}

async function printDiff(inputs: [ResolvedInput, ResolvedInput], path: string, exitCode: boolean): Promise<number> {
  // Only the merged filesystems are read: no packages or findings. An image named twice is merged once.
  const side = (x: ResolvedInput, merged?: MergedImage): DiffSide => {
    const image = x.result.images[x.index]!;
    return { name: x.name, result: x.result, image, merged: merged ?? mergeLayers(image.layers.map((l) => l.entries)) };
  };
  const a = side(inputs[0]);
  const b = inputs[1].result === inputs[0].result && inputs[1].index === inputs[0].index ? side(inputs[1], a.merged) : side(inputs[1]);
  try {
    const { differ } = await diffFile(a, b, path, process.stdout, (line) => process.stderr.write(`strata: ${quoteForTerminal(line)}\n`));
    return exitCode && differ ? 1 : 0;
  } catch (e) {
    if (!(e instanceof DiffError) && !(e instanceof ContentError)) throw e;
    process.stderr.write(`strata: ${quoteForTerminal(e.message)}\n`);
    return 2;
  }
}

function warn(result: ResolvedInput['result']): void {
  for (const w of result.summary.warnings) {
    const where = [w.layer !== undefined ? `layer ${w.layer}` : '', w.entry ?? '', w.offset !== undefined ? `offset ${w.offset}` : ''].filter(Boolean).join(', ');
    process.stderr.write(`warning [${quoteForTerminal(w.code)}] ${quoteForTerminal(w.message)}${where ? ` (${quoteForTerminal(where)})` : ''}\n`);
  }
}

endQuietlyOnClosedPipe();
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`strata: ${quoteForTerminal(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = 2;
  },
);
