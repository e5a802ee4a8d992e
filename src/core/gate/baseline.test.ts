// The baseline figures from a compare report's rows, written out.
import { describe, expect, it } from 'vitest';
import { baselineFigures } from './baseline';

describe('baselineFigures', () => {
  it('growth in bytes and ratio, added packages only, the directory that grew most (deeper on a tie)', () => {
    const f = baselineFigures({
      a: { name: 'v1.tar', sizeBytes: 4000 }, b: { sizeBytes: 5000 },
      packages: [
        { ecosystem: 'deb', name: 'curl', change: 'added' }, { ecosystem: 'deb', name: 'wget', change: 'removed' },
        { ecosystem: 'pip', name: 'numpy', change: 'upgraded' }, { ecosystem: 'pip', name: 'torch', change: 'added' },
      ],
      directories: [{ path: 'usr', delta: 900 }, { path: 'usr/lib', delta: 900 }, { path: 'opt', delta: -50 }, { path: 'app', delta: 100 }],
    });
    expect(f).toEqual({
      name: 'v1.tar', sizeBytes: 4000, growthBytes: 1000, growthPercent: 0.25,
      newPackages: [{ ecosystem: 'deb', name: 'curl' }, { ecosystem: 'pip', name: 'torch' }],
      directoryGrowth: { path: 'usr/lib', delta: 900 },
    });
  });

  it('an empty baseline: 0 % when nothing grew, null (no ratio) when something did', () => {
    const same = baselineFigures({ a: { name: 'a', sizeBytes: 0 }, b: { sizeBytes: 0 }, packages: [], directories: [] });
    expect(same.growthPercent).toBe(0);
    expect(same.directoryGrowth).toBeNull();
    expect(baselineFigures({ a: { name: 'a', sizeBytes: 0 }, b: { sizeBytes: 7 }, packages: [], directories: [] }).growthPercent).toBeNull();
  });
});
