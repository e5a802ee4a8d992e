// `npm run analyze -- REFERENCE` against real registries (docker-registry: anonymous, htpasswd,
// token auth; images pushed by skopeo from our fixture archives): each image gives the figures of
// the archive it was pushed from, written out here, and errors say what to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIVE_DIR, haveDive } from '../shared-fixtures';
import { runEntry } from '../cli';
import { startRegistryFleet, type RegistryFleet } from './fleet';
import { PUSHER, READER, skipReason, type RegistryServer } from './harness';
import type { Archives } from './seed';

const SKIP = `${skipReason('token')}${skipReason('basic')}`;

interface Figures {
  /** dive's image keys. */
  image: { sizeBytes: number; inefficientBytes: number; efficiencyScore: number };
  /** dive's per-layer sizeBytes and file list length. */
  layer: [number, number][];
  /** Ours per layer: uncompressed size, files, added, modified, removed. */
  layers: [number, number, number, number, number][];
  reclaimableBytes: number;
}

const APP: Figures = {
  image: { sizeBytes: 144028, inefficientBytes: 86000, efficiencyScore: 0.6111867136945593 },
  layer: [[70028, 8], [43000, 11], [31000, 7]],
  layers: [[76288, 4, 8, 0, 0], [50176, 4, 11, 0, 0], [35840, 1, 0, 1, 1]],
  reclaimableBytes: 55000,
};
const APP_PLUS: Figures = {
  image: { sizeBytes: 163528, inefficientBytes: 110500, efficiencyScore: 0.5811114916099995 },
  layer: [...APP.layer, [19500, 6]],
  layers: [...APP.layers, [24064, 2, 2, 1, 0]],
  reclaimableBytes: 67000,
};
const MULTI_AMD64: Figures = {
  image: { sizeBytes: 80028, inefficientBytes: 0, efficiencyScore: 1 },
  layer: [[70028, 8], [10000, 4]],
  layers: [[76288, 4, 8, 0, 0], [13312, 1, 4, 0, 0]],
  reclaimableBytes: 0,
};
const MULTI_ARM64: Figures = {
  image: { sizeBytes: 82028, inefficientBytes: 0, efficiencyScore: 1 },
  layer: [[70028, 8], [12000, 6]],
  layers: [[76288, 4, 8, 0, 0], [16384, 2, 6, 0, 0]],
  reclaimableBytes: 0,
};

interface Report {
  image: Figures['image'];
  layer: { sizeBytes: number; fileList: unknown[] }[];
  strata: { images: { platform?: string; reclaimableBytes: number; layers: { uncompressedSize: number; files: number; added: number; modified: number; removed: number; verification: string; compression: string; compressedSize: number }[] }[] };
}

function figures(r: Report): Figures {
  const img = r.strata.images[0]!;
  return {
    image: { sizeBytes: r.image.sizeBytes, inefficientBytes: r.image.inefficientBytes, efficiencyScore: r.image.efficiencyScore },
    layer: r.layer.map((l) => [l.sizeBytes, l.fileList.length]),
    layers: img.layers.map((l) => [l.uncompressedSize, l.files, l.added, l.modified, l.removed]),
    reclaimableBytes: img.reclaimableBytes,
  };
}

describe.skipIf(SKIP !== '')(`analyze REFERENCE against docker-registry${SKIP}`, () => {
  let fleet: RegistryFleet;
  let dir: string;
  let archives: Archives;
  let anon: RegistryServer;
  let basic: RegistryServer;
  let token: RegistryServer;
  /** A HOME with no credentials: the user's own never leak into these tests. */
  let emptyHome: string;

  beforeAll(async () => {
    fleet = await startRegistryFleet();
    ({ dir, archives, anon, basic, token } = fleet);
    emptyHome = join(dir, 'home');
    await mkdir(emptyHome);
    if (haveDive) await anon.push(join(DIVE_DIR, 'test-docker-image.tar'), 'dive/test:latest');
  }, 180_000);

  afterAll(async () => { await fleet?.stop(); });

  async function analyze(args: string[], env: Record<string, string> = {}) {
    const cleanEnv = { PATH: process.env.PATH ?? '', HOME: emptyHome, ...env };
    return runEntry('src/cli/analyze.ts', args, { env: cleanEnv });
  }

  async function report(input: string, extra: string[] = [], env: Record<string, string> = {}): Promise<{ report: Report; stdout: string; stderr: string }> {
    const out = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
    const r = await analyze([input, '--json', out, ...extra], env);
    expect(r.stderr.replace(/^strata: credentials for .*\n/m, '')).toBe('');
    expect(r.code).toBe(0);
    return { report: JSON.parse(await readFile(out, 'utf8')) as Report, stdout: r.stdout, stderr: r.stderr };
  }

  const compressions = (r: Report) => r.strata.images[0]!.layers.map((l) => l.compression);
  const stored = (r: Report) => r.strata.images[0]!.layers.map((l) => l.compressedSize);
  const verified = (r: Report) => r.strata.images[0]!.layers.every((l) => l.verification === 'verified');

  it('anonymous: a docker save pushed by skopeo (gzip layers) has the archive\'s figures', async () => {
    const archive = await report(archives.app);
    const pulled = await report(`${anon.host}/app:1`);
    expect(figures(archive.report)).toEqual(APP);
    expect(figures(pulled.report)).toEqual(APP);
    expect(compressions(archive.report)).toEqual(['none', 'none', 'none']);
    expect(compressions(pulled.report)).toEqual(['gzip', 'gzip', 'gzip']);
    expect(verified(pulled.report)).toBe(true);
    expect(pulled.stdout).toMatch(new RegExp(`^${anon.host.replace(/\./g, '\\.')}/app:1: registry, 1 image$`, 'm'));
  }, 60_000);

  it('anonymous: an OCI archive keeps its own blobs, stored sizes and all', async () => {
    const archive = await report(archives.appOci);
    const pulled = await report(`${anon.host}/app-oci:1`);
    for (const r of [archive.report, pulled.report]) {
      expect(figures(r)).toEqual(APP);
      expect(stored(r)).toEqual([409, 374, 272]);
      expect(verified(r)).toBe(true);
    }
  }, 60_000);

  it('one manifest with gzip and zstd layers (our writer\'s, and skopeo\'s reuse of held blobs)', async () => {
    const mixed = await report(`${anon.host}/mixed:1`);
    expect(figures(mixed.report)).toEqual(APP);
    expect(figures((await report(archives.mixed)).report)).toEqual(APP);
    expect(compressions(mixed.report)).toEqual(['gzip', 'zstd', 'gzip']);
    expect(stored(mixed.report)).toEqual([409, 259, 272]);
    const reused = await report(`${anon.host}/reused:1`);
    expect(figures(reused.report)).toEqual(APP_PLUS);
    expect(figures((await report(archives.appPlus)).report)).toEqual(APP_PLUS);
    expect(compressions(reused.report)).toEqual(['gzip', 'gzip', 'gzip', 'zstd']);
    expect(verified(reused.report)).toBe(true);
  }, 90_000);

  it('a multi-platform index: linux/amd64 by default, the others listed, attestations counted; --platform picks', async () => {
    const def = await report(`${anon.host}/multi:1`);
    expect(figures(def.report)).toEqual(MULTI_AMD64);
    expect(def.report.strata.images[0]!.platform).toBe('linux/amd64');
    expect(def.stdout).toContain('other platforms: linux/arm64/v8 (choose with --platform)');
    expect(def.stdout).toContain('attestation manifests skipped: 2');
    const arm = await report(`${anon.host}/multi:1`, ['--platform', 'linux/arm64']);
    expect(figures(arm.report)).toEqual(MULTI_ARM64);
    expect(arm.report.strata.images[0]!.platform).toBe('linux/arm64/v8');
    expect(figures((await report(archives.multi, ['--platform', 'linux/arm64'])).report)).toEqual(MULTI_ARM64);
    const none = await analyze([`${anon.host}/multi:1`, '--platform', 'linux/s390x']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`strata: platform linux/s390x is not in ${anon.host}/multi:1; it has linux/amd64, linux/arm64/v8\n`);
  }, 90_000);

  it('htpasswd: credentials from $REGISTRY_AUTH_FILE; without them, a request for them', async () => {
    const authFile = join(dir, 'auth.json');
    await writeFile(authFile, JSON.stringify({ auths: { [basic.host]: { auth: Buffer.from(`${PUSHER.username}:${PUSHER.password}`).toString('base64') } } }));
    const pulled = await report(`${basic.host}/private/app:1`, [], { REGISTRY_AUTH_FILE: authFile });
    expect(figures(pulled.report)).toEqual(APP);
    expect(pulled.stderr).toBe(`strata: credentials for ${basic.host} from ${authFile}\n`);
    const none = await analyze([`${basic.host}/private/app:1`]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`strata: ${basic.host} wants credentials to pull private/app (or it does not exist): give a username and a password or token (strata reads them from $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, $DOCKER_CONFIG/config.json or ~/.docker/config.json: log in with \`skopeo login ${basic.host}\` or \`docker login ${basic.host}\`)\n`);
  }, 60_000);

  it('token auth: a public image anonymously, a private one with docker\'s config.json', async () => {
    expect(figures((await report(`${token.host}/public/app:1`)).report)).toEqual(APP);
    const dockerConfig = join(dir, 'docker');
    await mkdir(dockerConfig, { recursive: true });
    await writeFile(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [token.host]: { username: READER.username, password: READER.password } } }));
    const pulled = await report(`${token.host}/private/app:1`, [], { DOCKER_CONFIG: dockerConfig });
    expect(figures(pulled.report)).toEqual(APP);
    expect(token.issuer!.requests.at(-1)).toEqual({ user: 'reader', scopes: ['repository:private/app:pull'] });
  }, 60_000);

  it('an unknown tag exits 1 saying which to check', async () => {
    const r = await analyze([`${anon.host}/app:nope`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`strata: ${anon.host} has no app:nope: check the repository name and the tag\n`);
  }, 30_000);

  it('--ls on a reference lists the merged filesystem', async () => {
    const r = await analyze([`${anon.host}/app:1`, '--ls']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('- 31000 -rw-r--r-- usr/lib/libapp.so');
    expect(lines).toContain('- 12000 -rwxr-xr-x opt/app/bin/app');
    expect(lines.some((l) => l.includes('deps.bin'))).toBe(false);
  }, 30_000);

  it.skipIf(!haveDive)('dive\'s own docker image, pushed and pulled, gives dive\'s export', async () => {
    const pulled = await report(`${anon.host}/dive/test:latest`);
    const dive = JSON.parse(await readFile(join(DIVE_DIR, 'expected/test-docker-image.export.json'), 'utf8')) as { image: unknown; layer: { sizeBytes: number }[] };
    expect(pulled.report.image).toEqual(dive.image);
    expect(pulled.report.layer.map((l) => l.sizeBytes)).toEqual(dive.layer.map((l) => l.sizeBytes));
    expect(verified(pulled.report)).toBe(true);
  }, 60_000);
});
