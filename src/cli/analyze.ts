// `npm run analyze -- <archive | reference> [--json out.json] [--platform os/arch] [--ls | --cat PATH [--layer N] [--image K]]`
// The command line over the same core the browser runs: a readable summary, the JSON report, or the
// merged filesystem as `tar -tv` would list it.

import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readArchive, type ArchiveResult } from '../core/pipeline/read-archive';
import { buildReport } from '../core/report/json-report';
import { formatPlatform } from '../core/types';
import { formatBytes, quoteForTerminal as q, trimCommand } from '../core/format';
import type { Warning } from '../core/types';
import type { Finding } from '../core/findings';
import type { LayerChangeStats } from '../core/analysis/reclaimable';
import { analyseImages } from './analyses';
import { FileByteSource } from './file-source';
import { installNodeSha256 } from './node-hash';
import { looksLikePath, readRegistryImage } from './registry-image';
import { endQuietlyOnClosedPipe } from './closed-pipe';
import { catError, catFile } from './cat';

const PATHS_W = 31;

const USAGE = 'usage: npm run analyze -- <archive | image reference> [--json <out.json>] [--platform os/arch] [--no-verify] [--ls [--layer N] [--image K]] [--cat PATH [--layer N] [--image K] [--force]]';

async function main(argv: string[]): Promise<number> {
  installNodeSha256();
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'string' },
      platform: { type: 'string' },
      ls: { type: 'boolean', default: false },
      cat: { type: 'string' },
      force: { type: 'boolean', default: false },
      layer: { type: 'string' },
      image: { type: 'string' },
      'no-verify': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const path = positionals[0]!;
  const info = await stat(path).catch(() => undefined);
  let result: ArchiveResult;
  let file: FileByteSource | undefined;
  if (info?.isFile()) {
    file = await FileByteSource.open(path);
    result = await readArchive(file, {
      name: basename(path),
      verify: !values['no-verify'],
      ...(values.platform ? { platform: values.platform } : {}),
    }).finally(() => { if (values.cat === undefined) file?.dispose(); });
  } else {
    // Not a file: an image reference, pulled straight from its registry (registry-image.ts).
    const pulled = info ? `${path}: not a file` : looksLikePath(path) ? `${path}: no such file` : await readRegistryImage(path, {
      verify: !values['no-verify'],
      ...(values.platform ? { platform: values.platform } : {}),
      note: (line) => process.stderr.write(`strata: ${q(line)}\n`),
    });
    if (typeof pulled === 'string') { process.stderr.write(`strata: ${q(pulled)}\n`); return 1; }
    result = pulled;
  }
  const analyses = analyseImages(result);

  if (values.cat !== undefined) {
    // The file stays open: the bytes are read from the layer that holds them.
    try {
      return await catFile(result, analyses.get, values.cat, {
        image: values.image === undefined ? 0 : Number(values.image),
        ...(values.layer === undefined ? {} : { layer: Number(values.layer) }),
        force: values.force,
        out: process.stdout,
        err: (line) => process.stderr.write(`strata: ${q(line)}\n`),
      });
    } catch (e) {
      process.stderr.write(`strata: ${catError(e)}\n`);
      return 1;
    } finally {
      file?.dispose();
    }
  }

  if (values.ls) {
    const k = values.image === undefined ? 0 : Number(values.image);
    const layer = values.layer === undefined ? undefined : Number(values.layer);
    const lines = analyses.listFiles(k, layer);
    if (typeof lines === 'string') { process.stderr.write(`strata: ${q(lines)}\n`); return 1; }
    for (const line of lines) process.stdout.write(`${line}\n`);
    // On stderr too, so a partial listing is never taken for a whole one.
    for (const w of analyses.listWarnings(k)) process.stderr.write(`strata: warning: ${warningLine(w)}\n`);
    return 0;
  }
  printSummary(result, path, (k) => analyses.get(k).findings, (k) => analyses.get(k).layerStats);
  if (values.json) {
    const report = buildReport({ summary: result.summary, images: result.images, ...analyses.reportParts() });
    await writeFile(values.json, `${JSON.stringify(report, null, 1)}\n`);
    process.stdout.write(`report written to ${values.json}\n`);
  }
  return 0;
}

/**
 * The summary: per layer its sizes, its files (non-directory entries) and what it did to paths
 * (directories included), the same figures the page's layer rows show under the same words; then
 * the image's findings.
 */
function printSummary(result: ArchiveResult, path: string, findingsOf: (image: number) => Finding[], statsOf: (image: number) => readonly LayerChangeStats[]): void {
  const { summary } = result;
  const out: string[] = [];
  out.push(`${q(path)}: ${summary.format}${summary.outerCompression !== 'none' ? ` (wrapped in ${summary.outerCompression})` : ''}, ${summary.images.length} image${summary.images.length === 1 ? '' : 's'}`);
  if (summary.otherPlatforms.length) out.push(`other platforms: ${summary.otherPlatforms.map((p) => q(formatPlatform(p.platform))).join(', ')} (choose with --platform)`);
  if (summary.attestations) out.push(`attestation manifests skipped: ${summary.attestations}`);
  summary.images.forEach((img, k) => {
    const stats = statsOf(k);
    out.push('');
    out.push(`image ${q(img.tags.join(', ') || img.id)} [${q(formatPlatform(img.platform))}]${img.configDigest ? ` config ${img.configDigest.slice(0, 19)}` : ''}`);
    out.push(`   #  verification  stored      size        files   ${'paths +added ~modified -removed'.padEnd(PATHS_W)} command`);
    for (const l of img.layers) {
      const s = stats[l.index];
      const paths = s ? `+${s.added} ~${s.modified + s.meta} -${s.removed}` : '?';
      out.push(`  ${String(l.index).padStart(2)} ${l.verification.padEnd(13)} ${formatBytes(l.compressedSize).padStart(10)}  ${formatBytes(l.uncompressedSize ?? 0).padStart(10)}  ${String(l.files ?? '?').padStart(6)}   ${paths.padEnd(PATHS_W)} ${q(trimCommand(l.command).slice(0, 100))}`);
    }
    out.push(...findingLines(findingsOf(k)));
  });
  if (summary.warnings.length) {
    out.push('');
    out.push(`warnings (${summary.warnings.length}):`);
    for (const w of summary.warnings) out.push(`  ${warningLine(w)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * The findings, as the page's "Why so large" lists them: the savings (they add up), then the
 * layer-caching ones (bytes every code change rebuilds, not saved). The fixes are in --json.
 */
function findingLines(findings: readonly Finding[]): string[] {
  const line = (f: Finding) => {
    const where = f.codeLayer !== undefined ? `layer ${f.layer} above the code of layer ${f.codeLayer}` : `layer ${f.layer}`;
    return `    ${formatBytes(f.bytes).padStart(10)}  ${f.kind.padEnd(18)} ${where}${f.heuristic ? ' (heuristic)' : ''}${f.step ? `   ${q(trimCommand(f.step).slice(0, 80))}` : ''}`;
  };
  const saved = findings.filter((f) => !f.rebuilt);
  const rebuilt = findings.filter((f) => f.rebuilt);
  const out: string[] = [];
  if (saved.length) out.push(`  findings (could save ${formatBytes(saved.reduce((n, f) => n + f.bytes, 0))}; fixes in --json):`, ...saved.map(line));
  if (rebuilt.length) out.push('  layer caching (bytes every code change rebuilds and re-ships):', ...rebuilt.map(line));
  return out;
}

/** `[code] message (layer, entry, offset)`; message and entry carry names from the image: quoted. */
function warningLine(w: Warning): string {
  const where = [w.layer !== undefined ? `layer ${w.layer}` : '', w.entry ?? '', w.offset !== undefined ? `offset ${w.offset}` : ''].filter(Boolean).join(', ');
  return `[${w.code}] ${q(w.message)}${where ? ` (${q(where)})` : ''}`;
}

endQuietlyOnClosedPipe();
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`strata: ${q(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = 1;
  },
);
