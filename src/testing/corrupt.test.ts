import { describe, expect, it } from 'vitest';
import { wrap } from './compress';
import { flipByte, truncate } from './corrupt';
import { listNames } from './gnu-tar';
import { writeTar } from './tar-writer';

const files = [{ path: 'hello.txt', content: 'hello' }, { path: 'bin/sh', type: 'symlink' as const, linkname: 'dash' }];

describe('wrap', () => {
  it.each(['gzip', 'zstd'] as const)('%s-wrapped archives list the same entries', async (how) => {
    const tar = await writeTar(files);
    const wrapped = wrap(tar, how);
    expect(wrapped.byteLength).toBeLessThan(tar.byteLength);
    expect(listNames(wrapped, how)).toEqual(['hello.txt', 'bin/sh']);
  });
});

describe('corruptions', () => {
  it('flipByte breaks the tar header checksum without touching the input', async () => {
    const tar = await writeTar(files);
    const bad = flipByte(tar, 0);
    expect(bad[0]).toBe(tar[0]! ^ 0xff);
    expect(listNames(tar)).toEqual(['hello.txt', 'bin/sh']);
    expect(() => listNames(bad)).toThrow();
  });

  it('flipByte counts negative offsets from the end and rejects offsets outside', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect([...flipByte(bytes, -1)]).toEqual([1, 2, 0xfc]);
    expect(() => flipByte(bytes, 3)).toThrow(RangeError);
  });

  it('truncate cuts an archive mid-entry so a reader sees it end early', async () => {
    const tar = await writeTar(files);
    expect(truncate(tar, 700).byteLength).toBe(700);
    expect(truncate(tar, -512).byteLength).toBe(tar.byteLength - 512);
    expect(() => listNames(truncate(tar, 700))).toThrow();
    expect(tar.byteLength).toBeGreaterThan(700);
  });
});
