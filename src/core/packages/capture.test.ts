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

  it('captures none of a million ordinary module paths', () => {
    // How fast this runs is the bench's business, not a test's (no wall-clock assertions).
    let n = 0;
    for (let i = 0; i < 1_000_000; i++) if (shouldCapture(`usr/lib/python3/site-packages/pkg${i % 997}/module${i}.py`, 4096)) n++;
    expect(n).toBe(0);
  });
});
