import { describe, expect, it } from 'vitest';
import { EntryKind } from '../types';
import { entryPath, LayerIndexBuilder, transferablesOf, type EntryInput } from './layer-index';

const file = (path: string, over: Partial<EntryInput> = {}): EntryInput => ({
  path, kind: EntryKind.file, mode: 0o644, uid: 0, gid: 0, size: 10, mtime: 1714564800, offset: 0, ...over,
});

const GiB = 1024 ** 3;

describe('LayerIndexBuilder columns', () => {
  it('keeps every value of a typical layer exactly, sizes and offsets included', () => {
    const b = new LayerIndexBuilder();
    b.add(file('usr/bin/env', { size: 4_294_967_295, offset: 512, mode: 0o100755, uid: 65534, gid: 65534 }));
    b.add(file('etc/hosts', { size: 0, offset: 4_294_967_296 - 512 }));
    const x = b.finish();
    expect([x.size[0], x.size[1]]).toEqual([4_294_967_295, 0]);
    expect([x.stored[0], x.stored[1]]).toEqual([4_294_967_295, 0]);
    expect([x.offset[0], x.offset[1]]).toEqual([512, 4_294_966_784]);
    expect([x.mode[0], x.uid[0], x.gid[0]]).toEqual([0o100755, 65534, 65534]);
    expect(x.mtime[1]).toBe(1714564800);
    expect(entryPath(x, 1)).toBe('etc/hosts');
  });

  it('keeps a 5 GiB file, an offset past 4 GiB, a fractional and a pre-1970 mtime, a uid past 65535 and a sparse file', () => {
    const b = new LayerIndexBuilder();
    b.add(file('models/big.safetensors', { size: 5 * GiB, offset: 6 * GiB + 512, mtime: 1714564800.25, uid: 1_000_000, gid: 70_000 }));
    b.add(file('var/old', { mtime: -86_400 }));
    b.add(file('var/sparse.img', { size: 20 << 20, stored: 8192 }));
    const x = b.finish();
    expect([x.size[0], x.size[1], x.size[2]]).toEqual([5 * GiB, 10, 20 << 20]);
    expect([x.stored[0], x.stored[1], x.stored[2]]).toEqual([5 * GiB, 10, 8192]);
    expect(x.offset[0]).toBe(6 * GiB + 512);
    expect([x.mtime[0], x.mtime[1]]).toEqual([1714564800.25, -86_400]);
    expect([x.uid[0], x.gid[0], x.uid[1]]).toEqual([1_000_000, 70_000, 0]);
  });

  it('lists each buffer once for postMessage, which refuses a buffer listed twice', () => {
    const b = new LayerIndexBuilder();
    b.add(file('a'));
    const x = b.finish();
    const buffers = transferablesOf(x);
    expect(new Set(buffers).size).toBe(buffers.length);
    const { port1, port2 } = new MessageChannel();
    expect(() => port1.postMessage(x, buffers)).not.toThrow();
    port1.close();
    port2.close();
  });
});
