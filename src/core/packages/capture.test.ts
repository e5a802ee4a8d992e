import { describe, expect, it } from 'vitest';
import { PER_PACKAGE_CAP, shouldCapture, WHOLE_DB_CAP } from './capture';

const KiB = 1024;

describe('shouldCapture', () => {
  it.each([
    'var/lib/dpkg/status',
    'var/lib/dpkg/status.d/libc6',
    'var/lib/dpkg/status.d/libc6.md5sums',
    'var/lib/dpkg/info/bash.list',
    'var/lib/dpkg/info/libc6:amd64.list',
    'usr/local/lib/python3.11/site-packages/torch-2.3.0.dist-info/RECORD',
    'usr/local/lib/python3.11/site-packages/torch-2.3.0.dist-info/METADATA',
    'usr/lib/python3/dist-packages/six-1.16.0.dist-info/RECORD',
    'opt/conda/conda-meta/numpy-1.26.4-py311h64a7726_0.json',
    'lib/apk/db/installed',
    'app/node_modules/express/package.json',
    'app/node_modules/@types/node/package.json',
    'node_modules/express/node_modules/debug/package.json',
  ])('keeps %s', (path) => {
    expect(shouldCapture(path, 10 * KiB)).toBe(true);
  });

  it.each([
    'etc/dpkg/status',
    'var/lib/dpkg/status-old',
    'var/lib/dpkg/info/bash.md5sums',
    'var/lib/dpkg/info/sub/bash.list',
    'var/lib/dpkg/status.d/sub/libc6',
    'usr/lib/python3/site-packages/RECORD',
    'usr/lib/python3/site-packages/torch/RECORD',
    'usr/lib/python3/site-packages/torch-2.3.0.dist-info/WHEEL',
    'srv/torch-2.3.0.dist-info/RECORD',
    'opt/conda/pkgs/numpy/info/index.json',
    'opt/conda/conda-meta/history',
    'app/package.json',
    'app/node_modules/express/lib/package.json',
    'app/node_modules/@types/package.json',
    'app/node_modules/.bin/package.json',
    'app/node_modules/express/test/fixtures/node_modules/x/y/package.json',
    'status',
    'usr/bin/python3',
  ])('skips %s', (path) => {
    expect(shouldCapture(path, 10 * KiB)).toBe(false);
  });

  it('caps whole databases at 16 MiB and per-package files at 4 MiB', () => {
    expect(shouldCapture('var/lib/dpkg/status', WHOLE_DB_CAP)).toBe(true);
    expect(shouldCapture('var/lib/dpkg/status', 16 * 1024 * KiB + 1)).toBe(false);
    expect(shouldCapture('lib/apk/db/installed', 12 * 1024 * KiB)).toBe(true);
    const record = 'usr/lib/python3/site-packages/torch-2.3.0.dist-info/RECORD';
    expect(shouldCapture(record, PER_PACKAGE_CAP)).toBe(true);
    expect(shouldCapture(record, 4 * 1024 * KiB + 1)).toBe(false);
    expect(shouldCapture('var/lib/dpkg/info/bash.list', 5 * 1024 * KiB)).toBe(false);
    expect(shouldCapture('var/lib/dpkg/status.d/libc6', 5 * 1024 * KiB)).toBe(false);
  });

  it('costs about as much as taking the basename, for a million paths', () => {
    // Relative to a baseline loop so a busy machine slows both alike; a regex over the whole path or
    // a scan of a list of patterns per call would blow well past the bound.
    const paths = Array.from({ length: 1_000_000 }, (_, i) => `usr/lib/python3/site-packages/pkg${i % 997}/module${i}.py`);
    const time = (f: (p: string) => boolean) => {
      for (let i = 0; i < 10_000; i++) f(paths[i]!);
      const t0 = performance.now();
      let n = 0;
      for (const p of paths) if (f(p)) n++;
      return { ms: performance.now() - t0, n };
    };
    const baseline = time((p) => p.slice(p.lastIndexOf('/') + 1) === 'status');
    const capture = time((p) => shouldCapture(p, 4096));
    expect(capture.n).toBe(0);
    expect(capture.ms).toBeLessThan(20 * Math.max(baseline.ms, 5));
  });
});
