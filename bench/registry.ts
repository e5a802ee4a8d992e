// `npm run bench -- --registry [--quick | --image X]`: the same image loaded from an archive on disk
// and from a registry on loopback, in one process, the CLI's way (in-process pipeline, Node's
// fetch, no proxy), beside the native listing with sha256sum of the same layer files and beside
// `skopeo copy` pulling it to an OCI directory (blobs only, digests checked). Debian's docker-registry serves it; skopeo pushes it first (an OCI archive keeps
// its blobs, a docker save is compressed by skopeo as gzip).

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileByteSource } from '../src/cli/file-source';
import { installNodeSha256 } from '../src/cli/node-hash';
import { nodeTransport } from '../src/cli/registry-image';
import { readArchive, readImages, type ArchiveResult } from '../src/core/pipeline/read-archive';
import { parseReference, RegistryClient, RegistryImageSource } from '../src/core/registry';
import { registryToolsMissing, startRegistry } from '../test/registry/harness';
import { nativeCommand, timeNative, type NativeLayer } from './native';

export interface RegistryBenchInput { workload: string; encoding: string; archive: string; layers: NativeLayer[] }

export interface RegistryRow {
  workload: string;
  encoding: string;
  storedMB: number;
  pushSeconds: number;
  archiveSeconds: number;
  registrySeconds: number;
  archiveCpuSeconds: number;
  /** Ours only: the registry's own CPU is not counted. */
  registryCpuSeconds: number;
  skopeoPullSeconds: number;
  /** Decompress + tar -t + sha256sum of the same layer files (the archive rows' baseline). */
  nativeVerifySeconds: number;
  layers: number;
  verified: boolean;
}

const best = (xs: number[]) => Math.min(...xs);

/** Wall seconds, and this process's CPU seconds (user + sys): on a loaded machine the steadier figure. */
async function timed<T>(f: () => Promise<T>): Promise<{ seconds: number; cpuSeconds: number; value: T }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = await f();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - t) / 1000, cpuSeconds: (used.user + used.system) / 1e6, value };
}

function skopeo(args: string[], home: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('skopeo', ['--insecure-policy', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: home } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`skopeo ${args[0]} failed: ${err.slice(0, 500)}`))));
  });
}

function summary(r: ArchiveResult): { layers: number; verified: boolean; storedMB: number } {
  const layers = r.images.flatMap((i) => i.layers);
  return {
    layers: layers.length,
    verified: layers.every((l) => l.verification === 'verified'),
    storedMB: r.summary.images.flatMap((i) => i.layers).reduce((n, l) => n + l.compressedSize, 0) / 1e6,
  };
}

export async function benchRegistry(inputs: RegistryBenchInput[], runs: number, log: (s: string) => void): Promise<RegistryRow[]> {
  const missing = registryToolsMissing('none');
  if (missing.length) { log(`registry bench skipped: ${missing.join(', ')} not installed`); return []; }
  installNodeSha256();
  const rows: RegistryRow[] = [];
  for (const w of inputs) {
    const server = await startRegistry();
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'strata-bench-registry-'));
    try {
      const oci = !w.encoding.startsWith('docker-save');
      log(`\n${w.workload} ${w.encoding}: pushing ${w.archive} to ${server.host} (skopeo)`);
      const push = await timed(() => server.push(w.archive, 'bench/image:1', { transport: oci ? 'oci-archive' : 'docker-archive' }));
      const ref = parseReference(`${server.host}/bench/image:1`);
      const archive: number[] = [];
      const registry: number[] = [];
      const archiveCpu: number[] = [];
      const registryCpu: number[] = [];
      const pull: number[] = [];
      const native: number[] = [];
      let s = { layers: 0, verified: false, storedMB: 0 };
      for (let r = 0; r < runs; r++) {
        const a = await timed(async () => {
          const file = await FileByteSource.open(w.archive);
          return readArchive(file, { name: path.basename(w.archive) }).finally(() => file.dispose());
        });
        const g = await timed(() => readImages(new RegistryImageSource(new RegistryClient({ fetch: nodeTransport }), ref), { name: ref.toString() }));
        s = summary(g.value);
        const dest = path.join(scratch, `pull-${r}`);
        const p = await timed(() => skopeo(['copy', '-q', '--src-tls-verify=false', `docker://${ref.registry}/${ref.repository}:1`, `oci:${dest}`], scratch));
        await rm(dest, { recursive: true, force: true });
        native.push((await timeNative(w.layers, 'verify')).seconds);
        archive.push(a.seconds);
        registry.push(g.seconds);
        archiveCpu.push(a.cpuSeconds);
        registryCpu.push(g.cpuSeconds);
        pull.push(p.seconds);
        log(`  run ${r + 1}: archive ${a.seconds.toFixed(2)} s (${a.cpuSeconds.toFixed(1)} CPU s), registry ${g.seconds.toFixed(2)} s (${g.cpuSeconds.toFixed(1)} CPU s, ${s.layers} layers, ${s.verified ? 'all verified' : 'NOT all verified'}), skopeo pull ${p.seconds.toFixed(2)} s, native verify ${native.at(-1)!.toFixed(2)} s`);
      }
      rows.push({
        workload: w.workload, encoding: w.encoding, storedMB: s.storedMB, pushSeconds: push.seconds,
        archiveSeconds: best(archive), registrySeconds: best(registry), archiveCpuSeconds: best(archiveCpu), registryCpuSeconds: best(registryCpu), skopeoPullSeconds: best(pull), nativeVerifySeconds: best(native), layers: s.layers, verified: s.verified,
      });
    } finally {
      await server.stop();
      await rm(scratch, { recursive: true, force: true });
    }
  }
  printRegistryRows(rows, runs, log);
  return rows;
}

function printRegistryRows(rows: RegistryRow[], runs: number, log: (s: string) => void): void {
  const head = ['workload', 'encoding', 'stored MB', 'archive s', 'registry s', 'registry/archive', 'archive CPU s', 'registry CPU s', 'native verify s', 'skopeo pull s', 'push s'];
  const body = rows.map((r) => [
    r.workload, r.encoding, r.storedMB.toFixed(1), r.archiveSeconds.toFixed(2), r.registrySeconds.toFixed(2),
    (r.registrySeconds / r.archiveSeconds).toFixed(2), r.archiveCpuSeconds.toFixed(1), r.registryCpuSeconds.toFixed(1), r.nativeVerifySeconds.toFixed(2), r.skopeoPullSeconds.toFixed(2), r.pushSeconds.toFixed(1),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  log(`\nregistry on loopback vs archive on disk (Node, in-process pipeline with digest checks, best of ${runs}); native verify = \`${nativeCommand('L', 'gzip', 'verify')}\` per layer, ${os.cpus().length} at a time; skopeo pull = \`skopeo copy docker://… oci:DIR\` (blobs to disk, digests checked, nothing decompressed)`);
  log([line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n'));
}
