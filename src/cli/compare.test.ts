// `npm run compare` as a user runs it, on archives the fixture writer wrote to disk.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEntry } from '../../test/cli';
import { COMPARE_V1, COMPARE_V2, writeDockerSave, writeOciLayout } from '../testing';

const compare = (...args: string[]) => runEntry('src/cli/compare.ts', args);

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-compare-'));
  await writeFile(at('v1.tar'), await writeDockerSave([COMPARE_V1]));
  await writeFile(at('v2.tar'), await writeDockerSave([COMPARE_V2]));
  await writeFile(at('both.tar'), await writeDockerSave([COMPARE_V1, COMPARE_V2]));
  await writeFile(at('v2-oci.tar'), await writeOciLayout([COMPARE_V2]));
  const evil = { ...COMPARE_V2, tags: ['shop:evil'], config: { ...COMPARE_V2.config, Labels: { title: 'x\u001b]0;pwned\u0007\u001b[2J' } } };
  await writeFile(at('evil.tar'), await writeDockerSave([evil]));
  await writeFile(at('not-an-image.bin'), new Uint8Array(2048).fill(7));
}, 60_000);

describe('npm run compare', () => {
  it('prints the summary and writes the JSON report with the contract keys', async () => {
    const r = await compare(at('v1.tar'), at('v2.tar'), '--json', at('r.json'), '--markdown', at('r.md'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^A: shop:1\.0 \[linux\/amd64\]/);
    expect(r.stdout).toMatch(/^\s+-\s+3\s+only-b\s+9\.30 kB\s+RUN apt-get install -y curl$/m);
    expect(r.stdout).toMatch(/^\s+upgraded\s+pip\s+requests 2\.31\.0 -> 2\.32\.3\s+\+500 B$/m);
    expect(r.stdout).toMatch(/^\s+Env\.MODEL_DIR: \/models\/v1 -> \/models\/v2$/m);
    expect(r.stdout).toMatch(/^rebuilt by this update: 6 layers, 92\.7 kB stored \(44\.9 kB unpacked\), from B's step RUN pip install -r requirements\.txt \(layer 1\) up$/m);
    const report = JSON.parse(await readFile(at('r.json'), 'utf8'));
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['version', 'a', 'b', 'layers', 'files', 'paths', 'directories', 'packages', 'config', 'history', 'pull', 'rebuilt']));
    expect(report.version).toBe(1);
    expect(report.rebuilt.firstChangedStep).toEqual({ history: 1, layer: 1, command: 'RUN /bin/sh -c pip install -r requirements.txt # buildkit' });
    expect(report.rebuilt.layers.map((l: { index: number }) => l.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.a).toMatchObject({ name: 'shop:1.0', platform: 'linux/amd64' });
    expect(report.a.configDigest).toMatch(/^sha256:/);
    expect(Object.keys(report.layers[0].a)).toEqual(['index', 'diffId', 'command', 'sizeBytes', 'compressedSize']);
    expect(report.paths.find((p: { path: string }) => p.path === 'usr/bin/curl')).toEqual({ path: 'usr/bin/curl', change: 'added', type: '-', sizeA: null, sizeB: 9000 });
    expect(Object.keys(report.pull)).toEqual(expect.arrayContaining(['bytesForBGivenA', 'bytesForAGivenB']));
    const md = await readFile(at('r.md'), 'utf8');
    expect(md).toMatch(/^### Image compare: `shop:1\.0` → `shop:2\.0`/);
    expect(md).toContain("**Rebuilt by this update:** from B's step `RUN pip install -r requirements.txt` (layer 1) up, 6 layers (92.7 kB stored, 44.9 kB unpacked) to push and pull again.");
  });

  it('picks images inside one archive by position, by tag, or as its two images', async () => {
    const byHash = await compare(`${at('both.tar')}#0`, `${at('both.tar')}#shop:2.0`, '--json', at('h.json'));
    expect(byHash.code).toBe(0);
    const h = JSON.parse(await readFile(at('h.json'), 'utf8'));
    expect([h.a.name, h.b.name]).toEqual(['shop:1.0', 'shop:2.0']);
    const one = await compare(at('both.tar'), '--json', at('o.json'));
    expect(one.code).toBe(0);
    const o = JSON.parse(await readFile(at('o.json'), 'utf8'));
    expect(o.layers).toEqual(h.layers);
    const flags = await compare(at('both.tar'), at('both.tar'), '--image-a', '1', '--image-b', '0');
    expect(flags.stdout).toMatch(/^A: shop:2\.0/);
  });

  it('lines a docker save up with an OCI layout of gzip layers by diff_id, pricing the pull in gzip bytes', async () => {
    const r = await compare(at('v2.tar'), at('v2-oci.tar'), '--json', at('x.json'), '--exit-code');
    expect(r.code).toBe(0);
    const x = JSON.parse(await readFile(at('x.json'), 'utf8'));
    expect(x.layers.every((l: { relation: string }) => l.relation === 'shared')).toBe(true);
    expect(x.same).toBe(true);
    expect(x.b.storedBytes).toBeLessThan(x.a.storedBytes);
  });

  it('--exit-code: 1 when they differ, 0 the same; --ignore narrows what differs', async () => {
    expect((await compare(at('v1.tar'), at('v2.tar'), '--exit-code')).code).toBe(1);
    expect((await compare(at('v1.tar'), at('v1.tar'), '--exit-code')).code).toBe(0);
    const r = await compare(at('v1.tar'), at('v2.tar'), '--ignore', '*.pyc', '--ignore', 'usr/local/lib/**', '--json', at('i.json'));
    const i = JSON.parse(await readFile(at('i.json'), 'utf8'));
    expect(r.code).toBe(0);
    expect(i.options.ignore).toEqual(['*.pyc', 'usr/local/lib/**']);
    expect(i.paths.some((p: { path: string }) => p.path.endsWith('.pyc'))).toBe(false);
  });

  it('exits 2 naming the input that cannot be read', async () => {
    const missing = await compare(at('v1.tar'), at('nope.tar'), '--exit-code');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.tar: no such file/);
    const bad = await compare(at('not-an-image.bin'), at('v1.tar'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not-an-image\.bin is not a tar archive or an image/);
    const many = await compare(at('both.tar'), at('v1.tar'));
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/both\.tar holds 2 images: pick one with both\.tar#N .*0: shop:1\.0; 1: shop:2\.0/);
    const range = await compare(`${at('both.tar')}#5`, at('v1.tar'));
    expect(range.stderr).toMatch(/both\.tar#5: the archive holds 2 image\(s\)/);
  });

  it('never prints an escape sequence from the image to the terminal', async () => {
    const r = await compare(at('v2.tar'), at('evil.tar'));
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\u0007]/);
    expect(r.stdout).toContain('Labels.title: (unset) -> x\\033]0;pwned\\a\\033[2J');
  });
});
