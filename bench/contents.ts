// `npx tsx bench/contents.ts [--full]`: the time to open the file at the end of the largest layer
// (issue 15), as the engine reads it (core/contents: restart points from the first pass, else a
// decode from the start), for its gzip, zstd and uncompressed forms, beside GNU tar extracting
// the same file (`tar -xOf`, which decodes the layer from its start too). For gzip three rows: a
// read without deflate checkpoints (the native decoder from the start), the first read that
// records them (pako under Z_BLOCK from the start), and a second read restarting at one. The
// synthetic image is the one `npm run bench` builds and caches. Prints figures; asserts nothing.

import { spawnSync } from 'node:child_process';
import { FileByteSource } from '../src/cli/file-source';
import { installNodeSha256 } from '../src/cli/node-hash';
import { GzipCheckpoints, readFileContent, type LayerBytes } from '../src/core/contents';
import { entryPath } from '../src/core/index/layer-index';
import { FINAL, mergeLayers } from '../src/core/merge';
import { indexLayer } from '../src/core/pipeline/index-layer';
import { EntryKind } from '../src/core/types';
import { buildSet } from './synth/build';
import { SHAPES } from './synth/shapes';

const log = (s: string) => console.log(s);
const ms = (t: number) => `${t.toFixed(0)} ms`;

async function main(): Promise<void> {
  installNodeSha256();
  const set = await buildSet(process.argv.includes('--full') ? SHAPES.full : SHAPES.quick, log);
  const layer = [...set.layers].sort((a, b) => b.gzBytes - a.gzBytes)[0]!;
  log(`largest gzip layer: ${layer.createdBy.slice(0, 60)} (${(layer.gzBytes / 1e6).toFixed(0)} MB gzip, ${(layer.bytes / 1e6).toFixed(0)} MB tar)`);
  for (const [compression, file] of [['gzip', layer.gz], ['zstd', layer.zst], ['none', layer.tar]] as const) {
    const source = await FileByteSource.open(file);
    const t0 = performance.now();
    const result = await indexLayer(source.stream(0, source.size), { verify: false });
    const firstPass = performance.now() - t0;
    const x = result.entries;
    let last = -1;
    for (let i = 0; i < x.count; i++) if (x.kind[i] === EntryKind.file && x.size[i]! > 0 && (last < 0 || x.offset[i]! > x.offset[last]!)) last = i;
    const path = entryPath(x, last);
    const merged = mergeLayers([x]);
    const bytes: LayerBytes = { source, compression: result.compression, ...(result.restarts ? { restarts: result.restarts } : {}) };
    const open = async (layer: LayerBytes) => {
      const t = performance.now();
      const c = process.cpuUsage();
      const got = await readFileContent(merged, FINAL, path, 0, 64 * 1024, { layerBytes: () => layer });
      const cpu = process.cpuUsage(c);
      return { ms: performance.now() - t, cpu: (cpu.user + cpu.system) / 1000, how: got.how, skipped: got.cost.skippedBytes, stored: got.cost.storedBytes };
    };
    const rows: { label: string; ms: number; cpu: number; how: string; skipped: number; stored: number }[] = [];
    const median3 = async (label: string, layer: LayerBytes) => {
      const runs = [await open(layer), await open(layer), await open(layer)].sort((a, b) => a.ms - b.ms);
      rows.push({ label: `${label}, median of 3`, ...runs[1]! });
    };
    if (compression === 'gzip') {
      rows.push({ label: 'no checkpoints', ...await open(bytes) });
      const checkpoints = new GzipCheckpoints(source.size);
      const recording = { ...bytes, checkpoints };
      rows.push({ label: 'first read, recording', ...await open(recording) });
      await median3(`second read (${checkpoints.points.length} checkpoints, ${(checkpoints.bytes / 2 ** 20).toFixed(1)} MiB)`, recording);
    } else {
      await median3('read', bytes);
    }
    const q = `'${file.replace(/'/g, `'\\''`)}'`;
    const t1 = performance.now();
    // tar's CPU time (its gzip child's included): bash's `time`.
    const tar = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; time tar -xOf ${q} '${path.replace(/'/g, `'\\''`)}' > /dev/null`]);
    const native = performance.now() - t1;
    const [u, sy] = tar.stderr.toString().trim().split('\n').at(-1)!.split(' ').map(Number);
    const tarCpu = ((u ?? 0) + (sy ?? 0)) * 1000;
    log(`${compression.padEnd(5)} open /${path.slice(0, 50)} (${x.size[last]} B), ${result.restarts?.points.length ?? 0} restart points: ` +
      `tar -xOf ${ms(native)}, CPU ${ms(tarCpu)}${tar.status === 0 ? '' : ' (failed)'}; first pass ${ms(firstPass)}`);
    for (const r of rows) log(`      ${r.label}: ${ms(r.ms)}, CPU ${ms(r.cpu)} (${r.how}, ${(r.stored / 1e6).toFixed(1)} MB read, ${(r.skipped / 1e6).toFixed(1)} MB decoded before it)`);
    source.dispose();
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
