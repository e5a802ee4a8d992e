// `npx tsx bench/profile-analysis.ts <archive>`: where the time goes after the last layer is
// indexed. Reads the archive in-process (Node, like the CLI), then times each step of
// analyseImage (src/core/analysis/analyse-image.ts) separately, with its own helpers.

import { openAsBlob } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { diveAnalysis } from '../src/core/analysis/dive';
import { layerChangeStats, reclaimable } from '../src/core/analysis/reclaimable';
import { analyseImage, finalFiles, removedFiles } from '../src/core/analysis/analyse-image';
import { findWaste } from '../src/core/findings';
import { mergeLayers } from '../src/core/merge';
import { attributePackages } from '../src/core/packages';
import { readArchive } from '../src/core/pipeline/read-archive';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: bench/profile-analysis.ts <archive>');
  let t = performance.now();
  const result = await readArchive(await openAsBlob(file), { name: file });
  console.log(`readArchive (in-process, one thread, Node): ${((performance.now() - t) / 1000).toFixed(2)} s`);
  const image = result.images[0]!;
  const times: [string, number][] = [];
  const step = <T>(name: string, fn: () => T): T => {
    const s = performance.now();
    const v = fn();
    times.push([name, performance.now() - s]);
    return v;
  };
  const merged = step('mergeLayers', () => mergeLayers(image.layers.map((l) => l.entries)));
  const commands = image.record.layers.map((l) => l.command);
  step('diveAnalysis', () => diveAnalysis(merged, commands));
  const reclaim = step('reclaimable', () => reclaimable(merged));
  step('layerChangeStats', () => layerChangeStats(merged, reclaim));
  const files = step('finalFiles', () => finalFiles(merged));
  const captures = image.layers.flatMap((l) => (result.results.get(l.key)?.captures ?? []).map((c) => ({ ...c, layer: l.index })));
  const attribution = step('attributePackages', () => attributePackages({ files, captures }));
  const removed = step('removedFiles', () => removedFiles(merged, reclaim));
  step('findWaste', () => findWaste({ files, removed, commands, packages: attribution.packages, fileOwners: attribution.fileOwners }));
  t = performance.now();
  analyseImage(image, result.results);
  const whole = performance.now() - t;
  const files0 = image.layers.reduce((n, l) => n + l.entries.count, 0);
  console.log(`analyseImage over ${image.layers.length} layers, ${files0} entries: ${whole.toFixed(0)} ms in one call; by step:`);
  for (const [name, ms] of times) console.log(`  ${name.padEnd(22)} ${ms.toFixed(0).padStart(6)} ms`);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
