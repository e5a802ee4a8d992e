import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_LAYER, DEMO_V1, DEMO_V2 } from './demo-images';
import { writeDockerSave } from './docker-save';
import { listNames, listVerbose, readJson, readMember } from './gnu-tar';
import { buildImage, type BuiltImage } from './image';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const SITE = 'usr/local/lib/python3.12/site-packages';

async function built(): Promise<[BuiltImage, BuiltImage]> {
  return [await buildImage(DEMO_V1, 'none'), await buildImage(DEMO_V2, 'none')];
}

describe('demo images', () => {
  it('v2 shares the base and runtime layers with v1 and changes the pip and app layers', async () => {
    const [v1, v2] = await built();
    const ids = (b: BuiltImage) => b.layers.map((l) => l.diffId);
    expect(ids(v1)).toHaveLength(7);
    expect(ids(v2)[DEMO_LAYER.base]).toBe(ids(v1)[DEMO_LAYER.base]);
    expect(ids(v2)[DEMO_LAYER.runtime]).toBe(ids(v1)[DEMO_LAYER.runtime]);
    expect(ids(v2)[DEMO_LAYER.pip]).not.toBe(ids(v1)[DEMO_LAYER.pip]);
    expect(ids(v2)[DEMO_LAYER.app]).not.toBe(ids(v1)[DEMO_LAYER.app]);
  });

  it('the base layer has a dpkg database whose .list files name files that exist, and leftover apt lists', async () => {
    const [v1] = await built();
    const tar = v1.layers[DEMO_LAYER.base]!.tar;
    const names = new Set(listNames(tar).map((n) => n.replace(/\/$/, '')));
    expect(text(readMember(tar, 'etc/os-release'))).toContain('ID=debian');
    const packages = [...text(readMember(tar, 'var/lib/dpkg/status')).matchAll(/^Package: (.+)$/gm)].map((m) => m[1]);
    expect(packages).toEqual(expect.arrayContaining(['bash', 'libc6', 'libssl3', 'zlib1g']));
    const lists = [...names].filter((n) => n.startsWith('var/lib/dpkg/info/') && n.endsWith('.list'));
    expect(lists).toHaveLength(packages.length);
    for (const l of lists) {
      for (const p of text(readMember(tar, l)).trim().split('\n').filter((x) => x !== '/.')) {
        expect(names, `${l} lists ${p}`).toContain(p.slice(1));
      }
    }
    expect([...names].filter((n) => n.startsWith('var/lib/apt/lists/') && n.includes('Packages'))).toHaveLength(1);
  });

  it('site-packages has dist-info METADATA and RECORD sizes matching the files, with the bumped version in v2', async () => {
    const [v1, v2] = await built();
    for (const [b, version] of [[v1, '2.31.0'], [v2, '2.32.3']] as const) {
      const tar = b.layers[DEMO_LAYER.pip]!.tar;
      const info = `${SITE}/requests-${version}.dist-info`;
      expect(text(readMember(tar, `${info}/METADATA`))).toMatch(new RegExp(`^Name: requests\\nVersion: ${version.replace(/\./g, '\\.')}$`, 'm'));
      const sizes = new Map(listVerbose(tar).map((e) => [e.name, e.size]));
      const record = text(readMember(tar, `${info}/RECORD`)).trim().split('\n').map((l) => l.split(','));
      for (const [path, hash, size] of record) {
        if (!hash) continue;
        expect(sizes.get(`${SITE}/${path}`), path).toBe(size);
      }
    }
    const numpy = listNames(v1.layers[DEMO_LAYER.pip]!.tar).filter((n) => n.startsWith(`${SITE}/numpy`) && n.includes('.so'));
    expect(numpy.length).toBeGreaterThanOrEqual(3);
    expect(listNames(v1.layers[DEMO_LAYER.pip]!.tar).some((n) => n.startsWith('root/.cache/pip/'))).toBe(true);
  });

  it('has compiled .pyc files, a whiteout for /root/.cache, an opaque /app/tmp and a chmod-only change', async () => {
    const [v1] = await built();
    expect(listNames(v1.layers[DEMO_LAYER.pycache]!.tar).filter((n) => /__pycache__\/.+\.pyc$/.test(n)).length).toBeGreaterThan(3);
    expect(listNames(v1.layers[DEMO_LAYER.cleanup]!.tar)).toEqual(expect.arrayContaining(['root/.wh..cache', 'app/tmp/.wh..wh..opq']));
    const app = v1.layers[DEMO_LAYER.app]!.tar;
    const chmod = v1.layers[DEMO_LAYER.chmod]!.tar;
    expect(same(readMember(chmod, 'app/main.py'), readMember(app, 'app/main.py'))).toBe(true);
    const mode = (tar: Uint8Array) => listVerbose(tar).find((e) => e.name === 'app/main.py')?.perms;
    expect([mode(app), mode(chmod)]).toEqual(['rw-r--r--', 'rwxr-xr-x']);
  });

  it('stores identical bytes at two paths (logo) and across layers (vendored libgfortran)', async () => {
    const [v1] = await built();
    const app = v1.layers[DEMO_LAYER.app]!.tar;
    expect(same(readMember(app, 'app/static/logo.png'), readMember(app, 'app/docs/images/logo.png'))).toBe(true);
    const base = readMember(v1.layers[DEMO_LAYER.base]!.tar, 'usr/lib/x86_64-linux-gnu/libgfortran.so.5.0.0');
    const vendored = readMember(v1.layers[DEMO_LAYER.pip]!.tar, `${SITE}/numpy.libs/libgfortran-040039e1.so.5.0.0`);
    expect(base.byteLength).toBeGreaterThan(0);
    expect(same(base, vendored)).toBe(true);
  });

  it('history shows ENV, WORKDIR and CMD as empty-layer steps', async () => {
    const [v1] = await built();
    const config = JSON.parse(text(v1.config)) as { history: { created_by: string; empty_layer?: boolean }[] };
    const empty = config.history.filter((h) => h.empty_layer).map((h) => h.created_by.split(' ')[0]);
    expect(empty).toEqual(expect.arrayContaining(['ENV', 'WORKDIR', 'CMD', 'EXPOSE']));
    expect(config.history.filter((h) => !h.empty_layer)).toHaveLength(7);
  });

  it('saving both shares layer directories and stays a few MB', async () => {
    const archive = await writeDockerSave([DEMO_V1, DEMO_V2]);
    const items = readJson<{ Layers: string[] }[]>(archive, 'manifest.json');
    expect(items[1]!.Layers.slice(0, 2)).toEqual(items[0]!.Layers.slice(0, 2));
    expect(archive.byteLength).toBeLessThan(6 * 1024 * 1024);
  });
});

describe('scripts/build-demo.ts', () => {
  it('writes the five archives (the small demo and the ML demo) and a manifest.json describing them', () => {
    const out = mkdtempSync(join(tmpdir(), 'strata-demo-'));
    try {
      const r = spawnSync('npx', ['tsx', 'scripts/build-demo.ts', out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { demos: { file: string; size: number }[] };
      expect(manifest.demos.map((d) => d.file)).toEqual(['strata-demo-v1.tar', 'strata-demo-v2.tar', 'strata-demo.tar', 'strata-ml-v1.tar', 'strata-ml.tar']);
      // The ML demo stays under ~60 MB an image: v1 alone is 58,049,024 bytes.
      expect(manifest.demos.find((d) => d.file === 'strata-ml-v1.tar')!.size).toBe(58_049_024);
      for (const d of manifest.demos) expect(readFileSync(join(out, d.file)).byteLength).toBe(d.size);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
