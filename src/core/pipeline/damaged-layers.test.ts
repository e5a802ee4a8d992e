// A damaged layer keeps every entry read before the damage, whatever its codec, and trailing junk
// after a complete gzip member is a warning, not an error (`gzip -dc`: "decompression OK, trailing
// garbage ignored"). The figures written out below are what `gzip -dc` / `zstd -dc` piped to GNU
// tar give for the same bytes (checked by hand when this test was written).
import { describe, expect, it } from 'vitest';
import { indexLayer, type IndexLayerOptions, type LayerResult } from './index-layer';
import { entryPath } from '../index/layer-index';
import { chunkedStream } from '../../../test/streams';
import { chromiumLikeGunzip } from '../../../test/chromium-like-gunzip';
import { concatBytes, gzip, noise, writeTar, zstd } from '../../testing';

const enc = new TextEncoder();
const JUNK = enc.encode('junk data at the end of the file\n');

// libarchive's test_compat_gzip_2.tgz in spirit: six small files, one gzip member, then junk.
const small = await writeTar(['f1', 'f2', 'f3', 'd1/f1', 'd1/f2', 'd1/f3'].map((path) => ({ path, content: 'ab\n' })));
// 1,000 incompressible 700-byte files: 1.5 MB of tar, a dozen zstd blocks, a 720 kB gzip member.
const big = await writeTar([
  { path: 'd', type: 'dir' as const },
  ...Array.from({ length: 1000 }, (_, i) => ({ path: `d/f${String(i).padStart(4, '0')}`, content: noise(700, i + 1) })),
]);
const bigGz = gzip(big);
const bigZst = zstd(big);

const GZIP: [string, IndexLayerOptions['gzip']][] = [['native', 'native'], ['pako', 'pako'], ['Chromium-like', chromiumLikeGunzip]];

async function index(bytes: Uint8Array, chunk: number, gz?: IndexLayerOptions['gzip']): Promise<LayerResult> {
  return indexLayer(chunkedStream(bytes, chunk), gz ? { gzip: gz } : {});
}
const paths = (r: LayerResult) => Array.from({ length: r.entries.count }, (_, i) => entryPath(r.entries, i));
const codes = (r: LayerResult) => r.warnings.map((w) => [w.code, w.offset]);

describe.each(GZIP)('gzip (%s): trailing junk after a complete member', (_name, gz) => {
  const junked = concatBytes([gzip(small), JUNK]);

  it.each([1, 7, 512, 1 << 30])('lists all six files, fed in %s-byte chunks, with a warning', async (chunk) => {
    const r = await index(junked, chunk, gz);
    expect(paths(r)).toEqual(['f1', 'f2', 'f3', 'd1/f1', 'd1/f2', 'd1/f3']);
    expect(codes(r)).toEqual([['gzip-trailing-garbage', junked.length - JUNK.length]]);
    expect(r.warnings[0]!.message).toContain('ignored as gzip -dc does');
    expect(r.complete).toBe(true);
    expect(r.uncompressedSize).toBe(small.length);
  });

  it.each([512, 1 << 30])('keeps a 1.5 MB layer whole before junk, fed in %s-byte chunks', async (chunk) => {
    const r = await index(concatBytes([bigGz, JUNK]), chunk, gz);
    expect(r.entries.count).toBe(1001);
    expect(codes(r)).toEqual([['gzip-trailing-garbage', bigGz.length]]);
  });
});

describe.each(GZIP)('gzip (%s): damage inside the member keeps what came before', (_name, gz) => {
  it.each([512, 1 << 30])('cut at half its length: the first 500 files (gzip -dc | tar -t: 501 lines), fed in %s-byte chunks', async (chunk) => {
    const r = await index(bigGz.subarray(0, bigGz.length >> 1), chunk, gz);
    expect(r.uncompressedSize).toBeGreaterThanOrEqual(768_135); // gzip -dc's; pako decodes one byte more
    expect(paths(r).at(-1)).toBe('d/f0499');
    expect(r.entries.count).toBe(501);
    expect(codes(r)).toEqual([['tar-truncated', 766_976], ['gzip-truncated', bigGz.length >> 1]]);
    expect(r.complete).toBe(false);
  });

  it('a flipped byte in file data: every entry (gzip -dc | tar -t: 1001), then the CRC error', async () => {
    const flipped = bigGz.slice();
    flipped[bigGz.length >> 1]! ^= 0x55;
    const r = await index(flipped, 1 << 30, gz);
    expect(r.entries.count).toBe(1001);
    expect(r.warnings.map((w) => w.code)).toEqual(['gzip-corrupt']);
    expect(r.complete).toBe(false);
  });
});

describe('zstd and uncompressed layers keep what came before the damage', () => {
  it.each([7, 512, 1 << 30])('zstd cut at half: the 427 entries of its first 655,360 bytes (zstd -dc | tar -t: 428 lines), fed in %s-byte chunks', async (chunk) => {
    const r = await index(bigZst.subarray(0, bigZst.length >> 1), chunk);
    expect(r.uncompressedSize).toBe(655_360);
    expect(r.entries.count).toBe(428);
    expect(r.warnings.map((w) => w.code)).toEqual(['tar-truncated', 'zstd-truncated']);
    expect(r.complete).toBe(false);
  });

  it('zstd followed by junk: every entry, then the error (zstd -d refuses it too)', async () => {
    const r = await index(concatBytes([bigZst, JUNK]), 512);
    expect(r.entries.count).toBe(1001);
    expect(codes(r)).toEqual([['zstd-corrupt', bigZst.length]]);
  });

  it.each([7, 512, 1 << 30])('an uncompressed layer cut at half: 501 entries (tar -t: 501 lines), fed in %s-byte chunks', async (chunk) => {
    const r = await index(big.subarray(0, big.length >> 1), chunk);
    expect(r.entries.count).toBe(501);
    expect(r.warnings.map((w) => w.code)).toEqual(['tar-truncated']);
    expect(r.complete).toBe(false);
  });
});

describe('paths no runtime can create', () => {
  it('leaves out an entry whose path passes PATH_MAX (4,095 bytes), keeping one that fits', async () => {
    const fits = `${'d/'.repeat(2046)}abc`; // 4,095 bytes
    const tooLong = `${'d/'.repeat(2046)}abcd`; // 4,096 bytes
    const tar = await writeTar([{ path: fits, content: 'x' }, { path: tooLong, content: 'y' }, { path: 'after', content: 'z' }]);
    const r = await index(tar, 512);
    const kept = paths(r);
    expect(kept).toContain(fits);
    expect(kept).not.toContain(tooLong);
    expect(kept.at(-1)).toBe('after');
    expect(r.warnings.map((w) => w.code)).toEqual(['tar-path-too-long']);
    expect(r.warnings[0]!.message).toMatch(/has a path of 4096 bytes \(2047 levels\): longer than Linux's PATH_MAX/);
  });
});
