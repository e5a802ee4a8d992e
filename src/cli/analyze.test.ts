// The command line as a user runs it: summary, --json (dive's numbers, bit for bit), --ls, errors.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEntry } from '../../test/cli';
import { DIVE_DIR, haveDive, SKIP_DIVE } from '../../test/shared-fixtures';
import { ML_V1, writeDockerSave } from '../testing';
import type { StrataReport } from '../core/report/report-format';

const analyze = (...args: string[]) => runEntry('src/cli/analyze.ts', args);

describe.skipIf(!haveDive)(`analyze on dive's docker image${SKIP_DIVE}`, () => {
  it('--json gives dive\'s image numbers and, per layer, its size, command and paths', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'strata-')), 'report.json');
    const r = await analyze(join(DIVE_DIR, 'test-docker-image.tar'), '--json', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/docker-save, 1 image/);
    const ours = JSON.parse(await readFile(out, 'utf8'));
    const dive = JSON.parse(await readFile(join(DIVE_DIR, 'expected/test-docker-image.export.json'), 'utf8'));
    expect(ours.image).toEqual(dive.image);
    expect(ours.layer.length).toBe(14);
    ours.layer.forEach((l: { sizeBytes: number; command: string; fileList: { path: string }[] }, j: number) => {
      expect(l.sizeBytes).toBe(dive.layer[j].sizeBytes);
      expect(l.command).toBe(dive.layer[j].command);
      expect(new Set(l.fileList.map((f) => f.path))).toEqual(new Set(dive.layer[j].fileList.map((f: { path: string }) => f.path)));
    });
    const img = ours.strata.images[0];
    expect(img.layers.every((l: { verification: string }) => l.verification === 'verified')).toBe(true);
    expect(img.reclaimableBytes).toBeGreaterThan(0);
    expect(img.layers[9]).toMatchObject({ removed: 1, command: '/bin/sh -c rm -rf /root/example/' });
  });

  it('the summary names each layer\'s files and the paths it changed, the figures the page\'s layer rows show', async () => {
    const r = await analyze(join(DIVE_DIR, 'test-docker-image.tar'));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('   #  verification  stored      size        files   paths +added ~modified -removed command');
    const row = (n: number) => lines.find((l) => l.startsWith(`  ${String(n).padStart(2)} `))?.replace(/ +/g, ' ');
    expect(row(0)).toBe(' 0 verified 1.37 MB 1.37 MB 398 +415 ~0 -0 ADD file:ce026b62356eec3ad1214f92be2c9dc063fe205bd5e600be3492c4dfb17148bd in /');
    expect(row(7)).toBe(' 7 verified 9.73 kB 9.73 kB 1 +1 ~2 -1 RUN mv /root/example/somefile3.txt /root/saved.txt');
    expect(row(9)).toBe(' 9 verified 2.05 kB 2.05 kB 0 +0 ~1 -1 RUN rm -rf /root/example/');
  });

  it('--ls --layer 9 lists what a container built up to the rm -rf would see', async () => {
    const r = await analyze(join(DIVE_DIR, 'test-docker-image.tar'), '--ls', '--layer', '9');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('- 6405 -rw-r--r-- root/saved.txt');
    expect(lines.some((l) => l.includes('root/example'))).toBe(false);
    const before = await analyze(join(DIVE_DIR, 'test-docker-image.tar'), '--ls', '--layer', '8');
    expect(before.stdout).toMatch(/^d \d+ drwxr-xr-x root\/example$/m);
  });
});

describe('the findings in the summary', () => {
  it('lists the savings, then the layer caching findings with both steps, on the ML demo (and in --json)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-'));
    const file = join(dir, 'ml-v1.tar');
    await writeFile(file, await writeDockerSave([ML_V1]));
    const r = await analyze(file, '--json', join(dir, 'r.json'));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('  findings (could save 31.9 MB; fixes in --json):');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('       15.4 MB  cuda-duplicate     layer 4   RUN pip install /tmp/wheels/torch-2.4.0-cp312-cp312-linux_x86_64.whl numpy==1.26');
    expect(lines.slice(at + 10, at + 12)).toEqual([
      '  layer caching (bytes every code change rebuilds and re-ships):',
      '       11.5 MB  large-after-code   layer 7 above the code of layer 6 (heuristic)   COPY models/ /models/',
    ]);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const { fix, paths, ...f } = report.strata.images[0].findings.find((x: { kind: string }) => x.kind === 'large-after-code');
    expect(f).toEqual({
      kind: 'large-after-code', bytes: 11_534_371, layer: 7, files: 2, step: 'COPY models/ /models/',
      rebuilt: true, codeLayer: 6, codeStep: 'COPY app/ /app/', heuristic: true,
    });
    expect([fix.startsWith('Heuristic: '), paths]).toEqual([true, ['models/model.safetensors', 'models/config.json']]);
  });
});

describe('analyze errors', () => {
  it('exits 1 with the reason on stderr for a file that is not an image', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-'));
    await writeFile(join(dir, 'x.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, ...new Array(1000).fill(0)]));
    const r = await analyze(join(dir, 'x.png'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x\.png is not a tar archive or an image: .*PNG image/);
  });

  it('exits 1 for a missing file and for a layer out of range', async () => {
    expect((await analyze('/nonexistent.tar')).stderr).toMatch(/no such file/);
    const dir = await mkdtemp(join(tmpdir(), 'strata-'));
    await writeFile(join(dir, 'a.tar'), await writeDockerSave([{ layers: [{ createdBy: 'x', files: [{ path: 'a', content: 'a' }] }] }]));
    const r = await analyze(join(dir, 'a.tar'), '--ls', '--layer', '5');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--layer 5: image 0 has 1 layers/);
  });
});

describe('names never drive the terminal', () => {
  it('--ls and the summary quote names, link targets, tags and commands as tar --quoting-style=escape', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-'));
    const image = {
      tags: ['evil:latest'],
      layers: [{
        createdBy: '/bin/sh -c echo \x1b[2J\x1b]0;owned\x07',
        files: [
          { path: 'title\x1b]0;owned\x07', content: 'x' },
          { path: 'line\nbreak', content: 'yy' },
          { path: 'back\\slash', content: 'z' },
          { path: 'l', type: 'symlink' as const, linkname: 'to\rthere' },
        ],
      }],
    };
    await writeFile(join(dir, 'evil.tar'), await writeDockerSave([image]));
    const ls = await analyze(join(dir, 'evil.tar'), '--ls');
    expect(ls.code).toBe(0);
    expect(ls.stdout.split('\n')).toEqual([
      '- 1 -rw-r--r-- back\\\\slash',
      'l 0 lrwxrwxrwx l -> to\\rthere',
      '- 2 -rw-r--r-- line\\nbreak',
      '- 1 -rw-r--r-- title\\033]0;owned\\a',
      '',
    ]);
    const summary = await analyze(join(dir, 'evil.tar'));
    expect(summary.stdout).toContain('RUN echo \\033[2J\\033]0;owned\\a');
    for (const out of [ls.stdout, summary.stdout]) expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });

  it('--ls says on stderr what made the listing differ from a plain read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-'));
    const layers = [
      { createdBy: 'base', raw: true, files: [{ path: 'real', type: 'dir' as const }, { path: 'real/f', content: 'f' }, { path: 'link', type: 'symlink' as const, linkname: 'real' }] },
      { createdBy: 'rm', raw: true, files: [{ path: 'link/.wh.f', content: '' }] },
    ];
    await writeFile(join(dir, 'link.tar'), await writeDockerSave([{ layers }]));
    const r = await analyze(join(dir, 'link.tar'), '--ls');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('l 0 lrwxrwxrwx link -> real\nd 0 drwxr-xr-x real\n');
    expect(r.stderr).toMatch(/^strata: warning: \[layer-path-through-symlink\] layer 1: 1 entry is under a directory a lower layer made a symlink \(first: link\/ is real\)/m);
  });

  it('--json carries the merge\'s warnings, naming the image and the layer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-'));
    const layers = [
      { createdBy: 'base', raw: true, files: [{ path: 'real', type: 'dir' as const }, { path: 'real/f', content: 'f' }, { path: 'link', type: 'symlink' as const, linkname: 'real' }] },
      { createdBy: 'rm', raw: true, files: [{ path: 'link/.wh.f', content: '' }] },
    ];
    await writeFile(join(dir, 'link.tar'), await writeDockerSave([{ tags: ['link:1'], layers }]));
    const out = join(dir, 'report.json');
    expect((await analyze(join(dir, 'link.tar'), '--json', out)).code).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as StrataReport;
    const image = report.strata.images[0]!.id;
    expect(report.strata.warnings.map((w) => [w.code, w.image, w.layer])).toEqual([['layer-path-through-symlink', image, 1]]);
  });
});
