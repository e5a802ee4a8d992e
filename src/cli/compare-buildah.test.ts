// Images built by a real tool: buildah (Debian's package) from scratch, offline, in a throw-away
// storage root. v1 is pushed as a docker-archive, v2 as an oci-archive (gzip layers); both sit on
// one base layer. Skips, saying so, without buildah or root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const haveBuildah = spawnSync('buildah', ['--version']).status === 0 && process.getuid?.() === 0;
const SKIP = haveBuildah ? '' : ' (skipped: needs buildah and root)';

let dir = '';

async function buildah(...args: string[]): Promise<string> {
  const { stdout } = await run('buildah', ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--storage-driver', 'vfs', ...args]);
  return stdout.trim();
}

async function image(tag: string, from: string, files: Record<string, string | Buffer>, config: string[]): Promise<void> {
  const ctx = join(dir, `ctx-${tag}`);
  for (const [p, body] of Object.entries(files)) {
    await mkdir(join(ctx, p, '..'), { recursive: true });
    await writeFile(join(ctx, p), body);
  }
  const c = await buildah('from', from);
  await buildah('copy', c, ctx, '/');
  if (config.length) await buildah('config', ...config, c);
  await buildah('commit', '-q', c, tag);
}

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff));

beforeAll(async () => {
  if (!haveBuildah) return;
  dir = await mkdtemp(join(tmpdir(), 'strata-buildah-'));
  await image('base', 'scratch', { 'etc/os-release': 'ID=strata-test\n', 'usr/bin/tool': bytes(20_000, 1) }, ['--env', 'LANG=C.UTF-8', '--cmd', '["tool"]']);
  await image('shop:1', 'base', { 'app/main.py': 'print(1)\n', 'app/data.bin': bytes(5000, 2) }, ['--label', 'version=1']);
  await image('shop:2', 'base', { 'app/main.py': 'print(2)\n', 'app/data.bin': bytes(7000, 3), 'app/new.txt': 'new\n' }, ['--label', 'version=2', '--env', 'MODEL_DIR=/models']);
  await buildah('push', '-q', 'shop:1', `docker-archive:${join(dir, 'v1.tar')}:shop:1`);
  await buildah('push', '-q', 'shop:2', `oci-archive:${join(dir, 'v2.tar')}:shop:2`);
}, 240_000);

afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

describe.skipIf(!haveBuildah)(`compare on images buildah built${SKIP}`, () => {
  it('shares the base by diff_id across docker-archive and oci-archive and lists what v2 changed', async () => {
    const out = join(dir, 'r.json');
    await run(process.execPath, ['--import', 'tsx', 'src/cli/compare.ts', join(dir, 'v1.tar'), join(dir, 'v2.tar'), '--json', out]);
    const r = JSON.parse(await readFile(out, 'utf8'));
    expect(r.layers.map((l: { relation: string }) => l.relation)).toEqual(['shared', 'changed']);
    expect(r.paths).toEqual([
      { path: 'app/data.bin', change: 'changed', type: '-', sizeA: 5000, sizeB: 7000 },
      { path: 'app/main.py', change: 'changed', type: '-', sizeA: 9, sizeB: 9 },
      { path: 'app/new.txt', change: 'added', type: '-', sizeA: null, sizeB: 4 },
    ]);
    expect(r.directories).toEqual([{ path: 'app', sizeA: 5009, sizeB: 7013, delta: 2004 }]);
    expect(r.config).toEqual([
      { field: 'Env.MODEL_DIR', a: null, b: '/models' },
      { field: 'Labels.version', a: '1', b: '2' },
    ]);
    expect(r.pull).toMatchObject({ layersForBGivenA: 1, layersForAGivenB: 1 });
  }, 120_000);
});
