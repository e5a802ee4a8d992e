// The figures the rules judge, on images built for the test, with every expectation worked out by
// hand from dive's definitions (leaves counted per layer, a file whiteout as 0, user bytes = all
// layers but the first) and from what each layer writes.
import { describe, expect, it } from 'vitest';
import { readArchive } from '../pipeline/read-archive';
import { analyseImage } from '../analysis/analyse-image';
import { writeDockerSave } from '../../testing';
import { gateFigures, globToRegExp, sharedBaseLayers } from './figures';
import type { ImageSpec } from '../../testing/image';

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

// L0: a/x 1000, b/y 500 | L1: a/x 1000 (new bytes) | L2: apt .deb 300, b/y 500 (new), tmp/t 100 | L3: rm tmp/t
const SPEC: ImageSpec = {
  layers: [
    { createdBy: 'ADD base', files: [{ path: 'a/x', content: bytes(1000, 1) }, { path: 'b/y', content: bytes(500, 2) }] },
    { createdBy: 'RUN base-update', files: [{ path: 'a/x', content: bytes(1000, 3) }] },
    { createdBy: 'RUN build', files: [
      { path: 'var/cache/apt/archives/x.deb', content: bytes(300, 4) }, { path: 'b/y', content: bytes(500, 5) }, { path: 'tmp/t', content: bytes(100, 6) },
    ] },
    { createdBy: 'RUN rm /tmp/t', files: [{ path: 'tmp/.wh.t', content: '' }] },
  ],
};

async function analyse(spec: ImageSpec) {
  const r = await readArchive(new Blob([await writeDockerSave([spec]) as BlobPart]));
  return analyseImage(r.images[0]!, r.results);
}

describe('gateFigures', () => {
  it('without a scope: dive\'s figures (3100 wasted of 1900 user bytes)', async () => {
    const f = gateFigures(await analyse(SPEC));
    expect(f.sizeBytes).toBe(3400);
    expect(f.userSizeBytes).toBe(1900);
    expect(f.wastedBytes).toBe(3100);
    expect(f.userWastedPercent).toBe(3100 / 1900);
    expect(f.inefficientFiles).toEqual([
      { count: 2, sizeBytes: 2000, path: '/a/x' }, { count: 2, sizeBytes: 1000, path: '/b/y' }, { count: 2, sizeBytes: 100, path: '/tmp/t' },
    ]);
    expect(f.layerCount).toBe(4);
    expect(f.baseLayers).toBe(1);
    // a/x's and b/y's first copies, and tmp/t
    expect(f.reclaimableBytes).toBe(1600);
  });

  it('base of 2 layers: a/x (touched only in the base) leaves the waste; user bytes are layers 2-3', async () => {
    const f = gateFigures(await analyse(SPEC), { baseLayers: 2 });
    expect(f.userSizeBytes).toBe(900);
    expect(f.wastedBytes).toBe(1100);
    expect(f.userWastedPercent).toBe(1100 / 900);
    expect(f.reclaimableBytes).toBe(100);
    expect(f.findings.every((x) => x.layer >= 2)).toBe(true);
    expect(f.findings.map((x) => [x.kind, x.bytes])).toEqual([['apt-cache', 300], ['removed-later', 100]]);
  });

  it('ignore globs leave paths out of the waste, the reclaimable bytes and the findings', async () => {
    const a = await analyse(SPEC);
    const tmp = gateFigures(a, { ignore: ['/tmp/**'] });
    expect(tmp.wastedBytes).toBe(3000);
    expect(tmp.reclaimableBytes).toBe(1500);
    expect(tmp.findings.some((x) => x.paths.includes('tmp/t'))).toBe(false);
    const y = gateFigures(a, { ignore: ['y', '/var/cache/apt'] });
    expect(y.inefficientFiles.map((r) => r.path)).toEqual(['/a/x', '/tmp/t']);
    expect(y.findings.some((x) => x.kind === 'apt-cache')).toBe(false);
  });

  it('a single-layer image: 0 user bytes, nothing wasted, 0 % (dive prints NaN)', async () => {
    const f = gateFigures(await analyse({ layers: [{ createdBy: 'ADD x', files: [{ path: 'x', content: 'abc' }] }] }));
    expect(f).toMatchObject({ userSizeBytes: 0, wastedBytes: 0, userWastedPercent: 0, efficiency: 1, sizeBytes: 3 });
  });

  it('an image with no layers: all zero, efficiency 1', async () => {
    const f = gateFigures(await analyse({ layers: [] }));
    expect(f).toMatchObject({ userSizeBytes: 0, wastedBytes: 0, userWastedPercent: 0, efficiency: 1, sizeBytes: 0, layerCount: 0 });
  });
});

describe('globs and shared base layers', () => {
  it.each([
    ['/var/cache/**', '/var/cache/apt/x', true], ['/var/cache/**', '/var/cached', false], ['/var/cache', '/var/cache/a/b', true],
    ['*.pyc', '/usr/lib/a.pyc', true], ['*.pyc', '/usr/lib/a.pyc.txt', false], ['/usr/*/a', '/usr/lib/a', true], ['/usr/*/a', '/usr/lib/x/a', false],
    ['/usr/**/a', '/usr/a', true], ['/a?c', '/abc', true], ['/a?c', '/a/c', false], ['/a.b', '/aXb', false], ['/(x)', '/(x)', true],
  ])('%s on %s: %s', (glob, path, hit) => {
    expect(globToRegExp(glob).test(path)).toBe(hit);
  });

  it('counts the bottom layers two images share, stopping at the first difference', () => {
    const k = (...keys: string[]) => keys.map((key) => ({ key }));
    expect(sharedBaseLayers(k('a', 'b', 'c'), k('a', 'b'))).toBe(2);
    expect(sharedBaseLayers(k('a', 'x', 'c'), k('a', 'b', 'c'))).toBe(1);
    expect(sharedBaseLayers(k('a'), k())).toBe(0);
  });
});
