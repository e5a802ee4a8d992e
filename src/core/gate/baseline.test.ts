// The baseline figures from a compare report's rows, written out.
import { describe, expect, it } from 'vitest';
import { baselineFigures } from './baseline';

const dir = (path: string, sizeA: number, sizeB: number) => ({ path, sizeA, sizeB, delta: sizeB - sizeA });

describe('baselineFigures', () => {
  it('growth in bytes and ratio, added packages only, the directory that grew most (deeper on a tie)', () => {
    const f = baselineFigures({
      a: { sizeBytes: 4000 }, b: { sizeBytes: 5000 },
      packages: [
        { ecosystem: 'deb', name: 'curl', change: 'added', versionB: '7.88.1' }, { ecosystem: 'deb', name: 'wget', change: 'removed', versionB: null },
        { ecosystem: 'pip', name: 'numpy', change: 'upgraded', versionB: '2.0.0' }, { ecosystem: 'pip', name: 'torch', change: 'added', versionB: '2.4.0' },
      ],
      directories: [dir('usr', 100, 1000), dir('usr/lib', 0, 900), dir('opt', 50, 0), dir('app', 0, 100)],
    }, 'v1.tar');
    expect(f).toEqual({
      name: 'v1.tar', sizeBytes: 4000, growthBytes: 1000, growthPercent: 0.25,
      newPackages: [{ ecosystem: 'deb', name: 'curl', version: '7.88.1' }, { ecosystem: 'pip', name: 'torch', version: '2.4.0' }],
      directoryGrowth: { path: 'usr/lib', sizeA: 0, sizeB: 900, delta: 900 },
    });
  });

  it('a shrinking image: negative growth, and no directory growth when none grew', () => {
    const f = baselineFigures({ a: { sizeBytes: 5000 }, b: { sizeBytes: 4000 }, packages: [], directories: [dir('opt', 1000, 0)] }, 'v1.tar');
    expect(f).toMatchObject({ growthBytes: -1000, growthPercent: -0.2, directoryGrowth: null, newPackages: [] });
  });

  it('an empty baseline: 0 % when nothing grew, null (no ratio) when something did', () => {
    const same = baselineFigures({ a: { sizeBytes: 0 }, b: { sizeBytes: 0 }, packages: [], directories: [] }, 'a');
    expect(same.growthPercent).toBe(0);
    expect(same.directoryGrowth).toBeNull();
    expect(baselineFigures({ a: { sizeBytes: 0 }, b: { sizeBytes: 7 }, packages: [], directories: [] }, 'a').growthPercent).toBeNull();
  });
});
