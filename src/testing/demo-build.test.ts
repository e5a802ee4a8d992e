// The demo as `npm run build` writes it (scripts/build-demo.ts into public/demo/), and the Debian
// base layer its package views stand on.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ML_LAYER, ML_V1, ML_V2 } from './demo-ml';
import { writeDockerSave } from './docker-save';
import { listNames, readMember } from './gnu-tar';
import { buildImage } from './image';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('scripts/build-demo.ts', () => {
  it('writes the ML demo, v1 + v2 first, and a manifest.json describing it, the same bytes in every build', async () => {
    const out = mkdtempSync(join(tmpdir(), 'strata-demo-'));
    try {
      const r = spawnSync('npx', ['tsx', 'scripts/build-demo.ts', out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { demos: { file: string; title: string; size: number; sha256: string }[] };
      // Each image stays under ~60 MB: v1 alone is 58,049,024 bytes; both share five layers.
      expect(manifest.demos.map((d) => [d.file, d.title, d.size, d.sha256])).toEqual([
        ['strata-ml.tar', 'strata-ml:v1 + v2', 83_072_000, 'c3f2faceb359742ffe068cef1978b1f4d0a2424be6ba61b9f0e0462e352030e1'],
        ['strata-ml-v1.tar', 'strata-ml:v1', 58_049_024, '6266c53d49372d5e25d39dcb6f52d92bf3c4be5fa44a4d6ed054369f1462f9e6'],
      ]);
      for (const d of manifest.demos) expect(sha256(readFileSync(join(out, d.file))), d.file).toBe(d.sha256);
      // A second build, in this process rather than the script's: the same bytes.
      expect(sha256(await writeDockerSave([ML_V1, ML_V2]))).toBe('c3f2faceb359742ffe068cef1978b1f4d0a2424be6ba61b9f0e0462e352030e1');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the demo base layer', () => {
  it('has a dpkg database whose .list files name files that exist, and leftover apt lists', async () => {
    const v1 = await buildImage(ML_V1, 'none');
    const tar = v1.layers[ML_LAYER.base]!.tar;
    const names = new Set(listNames(tar).map((n) => n.replace(/\/$/, '')));
    expect(text(readMember(tar, 'etc/os-release'))).toContain('ID=debian');
    const packages = [...text(readMember(tar, 'var/lib/dpkg/status')).matchAll(/^Package: (.+)$/gm)].map((m) => m[1]);
    expect(packages).toEqual(['base-files', 'bash', 'dash', 'coreutils', 'perl-base', 'libc6', 'libssl3', 'zlib1g', 'libgfortran5', 'libsqlite3-0']);
    const lists = [...names].filter((n) => n.startsWith('var/lib/dpkg/info/') && n.endsWith('.list'));
    expect(lists).toHaveLength(packages.length);
    for (const l of lists) {
      for (const p of text(readMember(tar, l)).trim().split('\n').filter((x) => x !== '/.')) {
        expect(names, `${l} lists ${p}`).toContain(p.slice(1));
      }
    }
    expect([...names].filter((n) => n.startsWith('var/lib/apt/lists/') && n.includes('Packages'))).toHaveLength(1);
  });
});
