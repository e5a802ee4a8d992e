// Builds (once) and caches a synthetic image in three encodings: `docker save` (uncompressed
// layers), OCI layout with gzip layers, OCI layout with zstd layers. Everything is streamed to
// files under $STRATA_BENCH_CACHE (default ~/.cache/strata-bench)/<shape>-<hash>/; each output is
// written to a temporary name and renamed when complete, so an interrupted build resumes.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GENERATOR_VERSION, layersOf, type Shape } from './shapes';
import { TarFile } from './tar-file';

export type Encoding = 'docker-save' | 'oci-gzip' | 'oci-zstd';
export const ENCODINGS: Encoding[] = ['docker-save', 'oci-gzip', 'oci-zstd'];

export interface LayerFiles {
  /** Uncompressed layer tar, its gzip and zstd forms. */
  tar: string;
  gz: string;
  zst: string;
  diffId: string;
  bytes: number;
  gzDigest: string;
  gzBytes: number;
  zstDigest: string;
  zstBytes: number;
  createdBy: string;
}

export interface BuiltSet {
  dir: string;
  shape: Shape;
  layers: LayerFiles[];
  archives: Record<Encoding, string>;
}

export function cacheRoot(): string {
  return process.env.STRATA_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'strata-bench');
}

export async function buildSet(shape: Shape, log: (s: string) => void): Promise<BuiltSet> {
  const key = createHash('sha256').update(JSON.stringify({ GENERATOR_VERSION, shape })).digest('hex').slice(0, 12);
  const dir = path.join(cacheRoot(), `${shape.name}-${key}`);
  mkdirSync(dir, { recursive: true });
  const defs = layersOf(shape);
  const wanted = shape.encodings ?? ENCODINGS;
  const layers = await parallel(defs.map((def, i) => () => buildLayer(dir, i, def.createdBy, def.write, log, wanted.includes('oci-gzip'))), os.cpus().length);
  const archives = {
    'docker-save': path.join(dir, 'docker-save.tar'),
    'oci-gzip': path.join(dir, 'oci-gzip.tar'),
    'oci-zstd': path.join(dir, 'oci-zstd.tar'),
  };
  const config = configJson(shape, layers);
  if (wanted.includes('docker-save')) once(archives['docker-save'], log, (tmp) => writeDockerSave(tmp, shape, layers, config));
  if (wanted.includes('oci-gzip')) once(archives['oci-gzip'], log, (tmp) => writeOci(tmp, shape, layers, config, 'gzip'));
  if (wanted.includes('oci-zstd')) once(archives['oci-zstd'], log, (tmp) => writeOci(tmp, shape, layers, config, 'zstd'));
  return { dir, shape, layers, archives };
}

async function buildLayer(dir: string, i: number, createdBy: string, write: (t: TarFile) => void, log: (s: string) => void, gzip = true): Promise<LayerFiles> {
  const meta = path.join(dir, `layer${i}.json`);
  if (existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8')) as LayerFiles;
  const tarPath = path.join(dir, `layer${i}.tar`);
  const started = Date.now();
  const tar = new TarFile(tarPath);
  write(tar);
  const diffId = tar.close();
  log(`  layer ${i}: ${(tar.bytes / 1e6).toFixed(0)} MB tar in ${((Date.now() - started) / 1000).toFixed(1)} s; compressing`);
  const gz = `${tarPath}.gz`;
  const zst = `${tarPath}.zst`;
  // gzip -n: no name or timestamp in the header, so the bytes depend only on the input.
  await Promise.all([gzip ? shell(`gzip -6 -n -c '${tarPath}' > '${gz}'`) : Promise.resolve(), shell(`zstd -3 -q -f -c '${tarPath}' > '${zst}'`)]);
  const files: LayerFiles = {
    tar: tarPath, gz: gzip ? gz : '', zst, diffId, bytes: tar.bytes, createdBy,
    gzDigest: gzip ? await sha256File(gz) : '', gzBytes: gzip ? statSync(gz).size : 0,
    zstDigest: await sha256File(zst), zstBytes: statSync(zst).size,
  };
  writeFileSync(meta, JSON.stringify(files, null, 2));
  log(`  layer ${i}: done in ${((Date.now() - started) / 1000).toFixed(1)} s (${gzip ? `gzip ${(files.gzBytes / 1e6).toFixed(0)} MB, ` : ''}zstd ${(files.zstBytes / 1e6).toFixed(0)} MB)`);
  return files;
}

function once(target: string, log: (s: string) => void, write: (tmp: string) => void): void {
  if (existsSync(target)) return;
  const tmp = `${target}.partial`;
  rmSync(tmp, { force: true });
  const started = Date.now();
  write(tmp);
  renameSync(tmp, target);
  log(`  ${path.basename(target)}: ${(statSync(target).size / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const enc = new TextEncoder();
const hex = (d: string) => d.replace(/^sha256:/, '');
const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function configJson(shape: Shape, layers: LayerFiles[]): Uint8Array {
  const created = (i: number) => new Date((1714564800 + i * 60) * 1000).toISOString().replace('.000Z', 'Z');
  return enc.encode(JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: created(layers.length),
    config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'PYTHONUNBUFFERED=1'], Cmd: ['python3'], WorkingDir: '/app' },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((l, i) => ({ created: created(i), created_by: l.createdBy })),
    // The shape is recorded so an archive tells what it is.
    comment: `strata bench ${shape.name}`,
  }));
}

/** Classic `docker save` (Docker < 25): <v1id>/{VERSION,json,layer.tar}, <config>.json, manifest.json. */
function writeDockerSave(file: string, shape: Shape, layers: LayerFiles[], config: Uint8Array): void {
  const out = new TarFile(file);
  const configName = `${hex(sha(config))}.json`;
  const ids = layers.map((l, i) => hex(sha(enc.encode(`${i}:${l.diffId}`))));
  const entries: [string, () => void][] = [];
  layers.forEach((l, i) => {
    const id = ids[i]!;
    entries.push([`${id}/`, () => out.header({ path: id, type: 'dir' })]);
    entries.push([`${id}/VERSION`, () => out.file(`${id}/VERSION`, enc.encode('1.0'))]);
    entries.push([`${id}/json`, () => out.file(`${id}/json`, enc.encode(JSON.stringify({ id, ...(i ? { parent: ids[i - 1] } : {}), os: 'linux' })))]);
    entries.push([`${id}/layer.tar`, () => copyEntry(out, `${id}/layer.tar`, l.tar, l.bytes)]);
  });
  entries.push([configName, () => out.file(configName, config)]);
  entries.push(['manifest.json', () => out.file('manifest.json', enc.encode(JSON.stringify([
    { Config: configName, RepoTags: [`strata-bench/${shape.name}:latest`], Layers: ids.map((id) => `${id}/layer.tar`) },
  ])))]);
  entries.push(['repositories', () => out.file('repositories', enc.encode(JSON.stringify({ [`strata-bench/${shape.name}`]: { latest: ids.at(-1) } })))]);
  for (const [, write] of entries.sort((a, b) => (a[0] < b[0] ? -1 : 1))) write();
  out.close();
}

/** An OCI image layout in a tar (`skopeo copy ... oci-archive:`): blobs, index.json, oci-layout. */
function writeOci(file: string, shape: Shape, layers: LayerFiles[], config: Uint8Array, kind: 'gzip' | 'zstd'): void {
  const out = new TarFile(file);
  const blobs = layers.map((l) => (kind === 'gzip'
    ? { path: l.gz, digest: l.gzDigest, size: l.gzBytes, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }
    : { path: l.zst, digest: l.zstDigest, size: l.zstBytes, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' }));
  const manifest = enc.encode(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: blobs.map((b) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size })),
  }));
  out.header({ path: 'blobs', type: 'dir' });
  out.header({ path: 'blobs/sha256', type: 'dir' });
  for (const b of blobs) copyEntry(out, `blobs/sha256/${hex(b.digest)}`, b.path, b.size);
  out.file(`blobs/sha256/${hex(sha(config))}`, config);
  out.file(`blobs/sha256/${hex(sha(manifest))}`, manifest);
  out.file('index.json', enc.encode(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{
      mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(manifest), size: manifest.length,
      annotations: { 'org.opencontainers.image.ref.name': shape.name },
    }],
  })));
  out.file('oci-layout', enc.encode(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  out.close();
}

function copyEntry(out: TarFile, name: string, src: string, size: number): void {
  out.header({ path: name, type: 'file', size });
  const fd = openSync(src, 'r');
  const buf = Buffer.alloc(8 * 1024 * 1024);
  let done = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    out.write(buf.subarray(0, n));
    done += n;
  }
  closeSync(fd);
  if (done !== size) throw new Error(`${src} changed while copying (${done} != ${size})`);
  out.pad(size);
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(`sha256:${h.digest('hex')}`))
      .on('error', reject);
  });
}

export function shell(cmd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-c', `set -o pipefail; ${cmd}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd}: exit ${code}`))));
  });
}

export async function parallel<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, tasks.length)) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  }));
  return out;
}
