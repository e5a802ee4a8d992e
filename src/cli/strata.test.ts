// The installable command: `npm pack` (its prepack builds the web app and bundles the CLI), the
// tarball installed offline into an empty folder, and `strata ci`, `strata analyze`,
// `strata compare` and `strata serve` run from there on plain Node: no tsx, no TypeScript, no
// node_modules but its own.
// One test, slow by nature (it runs the whole build).
import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMPARE_V1, COMPARE_V2, writeDockerSave, writeOciLayout } from '../testing';

const exec = promisify(execFile);
const REPO = join(import.meta.dirname, '../..');

async function run(file: string, args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Starts `strata serve --port 0`, reads the address it prints, fetches the page, stops it. */
async function servePage(bin: string, cwd: string): Promise<string> {
  const child = spawn(bin, ['serve', '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    return await (await fetch(url)).text();
  } finally {
    child.kill();
  }
}

describe('the packed package', () => {
  it('installs offline into an empty folder and runs strata ci / analyze / compare / serve on plain Node', { timeout: 600_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-pack-'));
    const pack = await exec('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: REPO, maxBuffer: 64 << 20 });
    // prepack's build prints to the same stdout (lines with '[' among them): npm's JSON is the last
    // thing printed, an array whose '[' stands alone at the start of a line.
    const out = `\n${pack.stdout}`;
    const [info] = JSON.parse(out.slice(out.lastIndexOf('\n[\n') + 1)) as { filename: string; files: { path: string }[] }[];
    const paths = info!.files.map((f) => f.path);
    expect(paths).toContain('dist-cli/strata.js');
    expect(paths).toContain('dist/index.html');
    expect(paths.some((p) => p.startsWith('src/') || p.endsWith('.ts') || p.endsWith('.map'))).toBe(false);

    const app = join(dir, 'app');
    await exec('mkdir', [app]);
    await writeFile(join(app, 'package.json'), '{ "name": "uses-strata", "private": true }\n');
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, info!.filename)], { cwd: app });
    const installed = JSON.parse(await readFile(join(app, 'node_modules/strata/package.json'), 'utf8'));
    expect(installed.bin).toEqual({ strata: 'dist-cli/strata.js' });
    const bin = join(app, 'node_modules/.bin/strata');

    // A two-layer image whose second layer rewrites the first's file: 200 wasted of 100 user bytes.
    await writeFile(join(app, 'image.tar'), await writeDockerSave([{ layers: [
      { createdBy: 'ADD base', files: [{ path: 'f', content: 'a'.repeat(100) }] },
      { createdBy: 'RUN b', files: [{ path: 'f', content: 'b'.repeat(100) }] },
    ] }]));
    const fail = await run(bin, ['ci', 'image.tar'], app);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('  FAIL: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=2 > threshold=0.1)');
    expect(fail.stdout).toContain('Result:FAIL [Total:3] [Passed:0] [Failed:2] [Warn:0] [Skipped:1]');

    // zstd layers go through zstddec's WASM, digests through hash-wasm: both inlined in the bundle.
    await writeFile(join(app, 'zstd.tar'), await writeOciLayout([{ layers: [
      { createdBy: 'COPY x', compression: 'zstd', files: [{ path: 'x', content: 'zstd '.repeat(1000) }] },
    ] }]));
    const pass = await run(bin, ['ci', 'zstd.tar', '--json', 'r.json'], app);
    expect(pass.stderr).toBe('');
    expect(pass.code).toBe(0);
    const report = JSON.parse(await readFile(join(app, 'r.json'), 'utf8'));
    expect(report.strata.images[0].layers[0]).toMatchObject({ compression: 'zstd', verification: 'verified' });
    expect(report.ci.result).toBe('pass');

    const analyze = await run(bin, ['analyze', 'zstd.tar'], app);
    expect(analyze.code).toBe(0);
    expect(analyze.stdout).toMatch(/^zstd\.tar: oci-layout, 1 image/);

    // Two small versions of one image (src/testing/compare-images.ts): requests upgraded, rich and
    // curl added, 114,279 -> 77,229 bytes.
    await writeFile(join(app, 'v1.tar'), await writeDockerSave([COMPARE_V1]));
    await writeFile(join(app, 'v2.tar'), await writeDockerSave([COMPARE_V2]));
    const compare = await run(bin, ['compare', 'v1.tar', 'v2.tar', '--json', 'c.json', '--exit-code'], app);
    expect(compare.code).toBe(1); // --exit-code: they differ
    expect(compare.stdout).toMatch(/^A: shop:1\.0 \[linux\/amd64\] 114 kB, 7 layers/);
    expect(compare.stdout).toContain('B is -37.0 kB against A\n');
    expect(compare.stdout).toMatch(/^\s+upgraded\s+pip\s+requests 2\.31\.0 -> 2\.32\.3\s+\+500 B$/m);
    const c = JSON.parse(await readFile(join(app, 'c.json'), 'utf8'));
    expect([c.version, c.a.sizeBytes, c.b.sizeBytes]).toEqual([1, 114_279, 77_229]);
    expect((await run(bin, ['compare', 'v1.tar', 'missing.tar'], app)).code).toBe(2);
    const gate = await run(bin, ['ci', 'v2.tar', '--baseline', 'v1.tar', '--highestNewPackages', '1', '--highestGrowthBytes', '0'], app);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain('  growthBytes: -37050 bytes (-37 kB)\n');
    expect(gate.stdout).toContain('  FAIL: highestNewPackages: too many packages added since the baseline v1.tar (new-packages=2 > threshold=1: deb:curl 7.88.1-10+deb12u5, pip:rich 13.7.1)\n');
    expect(await servePage(bin, app)).toMatch(/<!doctype html>/i);
  });
});
