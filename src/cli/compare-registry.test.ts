// `npm run compare` with image references: Debian's docker-registry (anonymous) holding v1 and v2,
// pushed by skopeo from the fixture writer's archives (skopeo recompresses the layers as gzip).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMPARE_V1, COMPARE_V2, writeDockerSave } from '../testing';
import { skipReason, startRegistry, type RegistryServer } from '../../test/registry/harness';

const run = promisify(execFile);
const SKIP = skipReason('none');
let registry: RegistryServer;
let dir: string;

beforeAll(async () => {
  if (SKIP) return;
  dir = await mkdtemp(join(tmpdir(), 'strata-compare-registry-'));
  await writeFile(join(dir, 'v1.tar'), await writeDockerSave([COMPARE_V1]));
  await writeFile(join(dir, 'v2.tar'), await writeDockerSave([COMPARE_V2]));
  registry = await startRegistry({ auth: 'none' });
  await registry.push(join(dir, 'v1.tar'), 'shop:1');
  await registry.push(join(dir, 'v2.tar'), 'shop:2');
}, 120_000);

afterAll(async () => { await registry?.stop(); });

describe.skipIf(SKIP !== '')(`compare image references${SKIP}`, () => {
  it('pulls both references and gives the figures of the archives they were pushed from', async () => {
    const out = join(dir, 'r.json');
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    await run(process.execPath, ['--import', 'tsx', 'src/cli/compare.ts', `${registry.host}/shop:1`, `${registry.host}/shop:2`, '--json', out], { env });
    const r = JSON.parse(await readFile(out, 'utf8'));
    expect(r.layers.map((l: { relation: string }) => l.relation)).toEqual(['shared', 'changed', 'same-content', 'only-b', 'changed', 'only-a', 'changed', 'changed']);
    expect(r.files).toMatchObject({ added: 10, removed: 11, changed: 12, metadata: 1, addedBytes: 16_338, removedBytes: 56_811 });
    expect(r.packages.find((p: { name: string }) => p.name === 'curl')).toMatchObject({ change: 'added', versionB: '7.88.1-10+deb12u5' });
    // Stored bytes are now the registry's gzip blobs, smaller than the docker save's plain tars.
    expect(r.pull.bytesForBGivenA).toBeGreaterThan(0);
    const mixed = join(dir, 'm.json');
    await run(process.execPath, ['--import', 'tsx', 'src/cli/compare.ts', join(dir, 'v1.tar'), `${registry.host}/shop:1`, '--json', mixed, '--exit-code'], { env });
    const m = JSON.parse(await readFile(mixed, 'utf8'));
    expect(m.same).toBe(true);
    expect(m.layers.every((l: { relation: string }) => l.relation === 'shared')).toBe(true);
  }, 120_000);
});
