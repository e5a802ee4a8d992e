import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContentHasher, createSha256 } from './hash';

const HAS_SHA256SUM = spawnSync('sha256sum', ['--version']).status === 0;
if (!HAS_SHA256SUM) console.warn('SKIP sha256sum comparison: `sha256sum` not found on PATH');

function sample(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 2654435761) >>> 23;
  return b;
}

describe('createSha256', () => {
  it.skipIf(!HAS_SHA256SUM).each([1, 7, 512, 1 << 20])('matches sha256sum when fed in %i-byte chunks', async (size) => {
    const data = sample(3_000_001);
    const dir = mkdtempSync(join(tmpdir(), 'strata-hash-'));
    try {
      const f = join(dir, 'blob');
      writeFileSync(f, data);
      const expected = execFileSync('sha256sum', [f]).toString().split(' ')[0];
      const h = await createSha256();
      // 1-byte chunks over 3 MB would take long; they only need to cover block boundaries.
      const end = size === 1 ? 300 : data.length;
      for (let i = 0; i < end; i += size) h.update(data.subarray(i, Math.min(end, i + size)));
      if (end < data.length) h.update(data.subarray(end));
      expect(h.digest()).toBe(`sha256:${expected}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the well-known digest of the empty blob', async () => {
    expect((await createSha256()).digest()).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('createContentHasher (xxh64)', () => {
  it('splits the xxh64 reference values into hi/lo halves', async () => {
    const h = await createContentHasher();
    h.init();
    expect(h.digest()).toEqual({ hi: 0xef46db37, lo: 0x51d8e999 }); // XXH64("") = ef46db3751d8e999
    h.init();
    h.update(new TextEncoder().encode('abc'));
    expect(h.digest()).toEqual({ hi: 0x44bc2cf5, lo: 0xad770999 }); // XXH64("abc") = 44bc2cf5ad770999
  });

  it('is reusable across files: same content, same hash, regardless of chunking or what came before', async () => {
    const h = await createContentHasher();
    const a = sample(100_000);
    h.init(); h.update(a); const first = h.digest();
    h.init(); h.update(sample(77)); const other = h.digest();
    h.init(); for (let i = 0; i < a.length; i += 7) h.update(a.subarray(i, i + 7));
    expect(h.digest()).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first.hi >>> 0).toBe(first.hi);
    expect(first.lo >>> 0).toBe(first.lo);
  });
});
