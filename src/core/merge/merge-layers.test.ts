import { describe, expect, it } from 'vitest';
import { EntryKind } from '../types';
import { formatLs, FINAL, mergeLayers, type MergedImage, type View } from './index';
import { layer } from './test-layers';

const upTo = (n: number): View => ({ mode: 'upTo', layer: n });
const only = (n: number): View => ({ mode: 'layerOnly', layer: n });

function paths(m: MergedImage, view: View = FINAL): string[] {
  return [...m.listAll(view)].map((n) => m.path(n));
}

function changeOf(m: MergedImage, path: string, l: number): string | undefined {
  return m.history(m.findPath(path)).find((h) => h.layer === l)?.change;
}

describe('mergeLayers: whiteouts (OCI image-spec, "Representing Changes")', () => {
  it('a whiteout of a file removes it from the view and records the bytes that left', () => {
    const m = mergeLayers([
      layer('d etc', 'f etc/passwd 120 #1', 'f etc/shadow 80 #2'),
      layer('wh etc/shadow'),
    ]);
    expect(paths(m)).toEqual(['etc', 'etc/passwd']);
    expect(paths(m, upTo(0))).toEqual(['etc', 'etc/passwd', 'etc/shadow']);
    expect(m.changeCounts(1)).toMatchObject({ removed: 1, removedBytes: 80, added: 0 });
    expect(changeOf(m, 'etc/shadow', 1)).toBe('removed');
  });

  it('a whiteout of a directory removes its whole subtree; one removal row carries all its bytes', () => {
    const m = mergeLayers([
      layer('d var', 'd var/cache', 'd var/cache/apt', 'f var/cache/apt/a.bin 1000 #1', 'f var/cache/b 24 #2', 'f var/log 5 #3'),
      layer('wh var/cache'),
    ]);
    expect(paths(m)).toEqual(['var', 'var/log']);
    expect(m.changeCounts(1)).toMatchObject({ removed: 1, removedBytes: 1024 });
    expect(m.totalBytes[m.findPath('var')]).toBe(5);
    // The layer's own view shows what it removed, as it was.
    expect(paths(m, only(1))).toEqual(['var', 'var/cache']);
    expect(m.nodeInfo(m.findPath('var/cache'), only(1))).toMatchObject({ kind: EntryKind.dir, change: 'removed' });
  });

  it('an opaque directory hides everything lower layers had in it, but keeps its own new entries', () => {
    const m = mergeLayers([
      layer('d app', 'f app/old.js 300 #1', 'd app/lib', 'f app/lib/x.js 50 #2', 'f top 1 #3'),
      layer('d app', 'opq app', 'f app/new.js 7 #4'),
    ]);
    expect(paths(m)).toEqual(['app', 'app/new.js', 'top']);
    expect(m.nodeInfo(m.findPath('app'), FINAL)?.kind).toBe(EntryKind.dir);
    expect(m.changeCounts(1).removedBytes).toBe(350);
    expect(paths(m, upTo(0))).toContain('app/lib/x.js');
  });

  it('a whiteout and a new entry of the same name in one layer leave the new entry, whatever their order', () => {
    for (const order of [['f conf 9 #2', 'wh conf'], ['wh conf', 'f conf 9 #2']]) {
      const m = mergeLayers([layer('f conf 5 #1'), layer(...order)]);
      expect([...formatLs(m)]).toEqual(['- 9 -rw-r--r-- conf']);
      expect(changeOf(m, 'conf', 1)).toBe('modified');
    }
  });

  it('a whiteout of a directory re-created in the same layer keeps only the new contents', () => {
    const m = mergeLayers([
      layer('d d', 'f d/a 10 #1', 'f d/b 20 #2'),
      layer('wh d', 'd d', 'f d/b 20 #2', 'f d/c 30 #3'),
    ]);
    expect(paths(m)).toEqual(['d', 'd/b', 'd/c']);
    expect(changeOf(m, 'd/a', 1)).toBe('removed');
    expect(m.changeCounts(1).removedBytes).toBe(10);
  });

  it('a whiteout of a path that never existed is harmless and invisible', () => {
    const m = mergeLayers([layer('f keep 1 #1'), layer('wh no/such/path', 'wh ghost')]);
    expect(paths(m)).toEqual(['keep']);
    expect(m.changeCounts(1)).toMatchObject({ removed: 0, removedBytes: 0 });
    expect([...formatLs(m, only(1))]).toEqual([]);
  });

  it('whiteout markers never appear as files in any view', () => {
    const m = mergeLayers([layer('d a', 'f a/x 1 #1'), layer('wh a/x', 'opq a', 'f a/y 2 #2')]);
    for (const v of [FINAL, upTo(0), upTo(1), only(1)]) {
      expect(paths(m, v).some((p) => p.includes('.wh.'))).toBe(false);
    }
  });

  it('a path hidden by a whiteout comes back when a later layer writes it again', () => {
    const m = mergeLayers([layer('d d', 'f d/x 1 #1'), layer('wh d'), layer('f d/x 2 #2')]);
    expect(paths(m, upTo(1))).toEqual([]);
    expect(paths(m)).toEqual(['d', 'd/x']);
    // The parent the tar left implicit is created, as a runtime would.
    expect(changeOf(m, 'd', 2)).toBe('added');
  });
});

describe('mergeLayers: change sets', () => {
  const base = layer('d bin', 'f bin/tool 4096 #7 m=0755 t=100', 'f bin/cfg 10 #8 t=100');

  it('a mode-only change is metadata, not content', () => {
    const m = mergeLayers([base, layer('f bin/tool 4096 #7 m=0700 t=100')]);
    expect(changeOf(m, 'bin/tool', 1)).toBe('meta');
    expect([...formatLs(m)]).toContain('- 4096 -rwx------ bin/tool');
  });

  it('the same bytes and metadata written again are an unchanged rewrite', () => {
    const m = mergeLayers([base, layer('f bin/tool 4096 #7 m=0755 t=100', 'f bin/cfg 10 #9 t=100')]);
    expect(changeOf(m, 'bin/tool', 1)).toBe('unchanged');
    // Same size, another content hash: modified.
    expect(changeOf(m, 'bin/cfg', 1)).toBe('modified');
    expect(m.changeCounts(1)).toMatchObject({ unchanged: 1, modified: 1, added: 0 });
  });

  it('without content hashes, an equal size is not taken for equal bytes', () => {
    const m = mergeLayers([layer('f a 10'), layer('f a 10')]);
    expect(changeOf(m, 'a', 1)).toBe('modified');
  });

  it('a path listed twice in one layer: the last entry wins', () => {
    const m = mergeLayers([layer('f a 10 #1', 'f a 20 #2')]);
    expect([...formatLs(m)]).toEqual(['- 20 -rw-r--r-- a']);
    expect(m.state.superseded[0]).toEqual(new Int32Array([0]));
  });

  it('a file replacing a directory hides what the directory held', () => {
    const m = mergeLayers([layer('d x', 'f x/in 5 #1'), layer('f x 3 #2')]);
    expect(paths(m)).toEqual(['x']);
    expect(m.changeCounts(1)).toMatchObject({ modified: 1, removed: 1, removedBytes: 5 });
  });
});

describe('mergeLayers: links', () => {
  it('a hard link to a lower-layer file resolves to its size and hash, as of when it was made', () => {
    const m = mergeLayers([
      layer('d bin', 'f bin/busybox 900000 #5 m=0755'),
      layer('h bin/sh -> bin/busybox'),
      layer('f bin/busybox 10 #6 m=0755'),
    ]);
    const sh = m.nodeInfo(m.findPath('bin/sh'), FINAL)!;
    expect(sh).toMatchObject({ kind: EntryKind.hardlink, size: 900000, link: 'bin/busybox', hash: '0000000000000005' });
    expect([...formatLs(m)]).toContain('h 900000 -rw-r--r-- bin/sh -> bin/busybox');
    // A hard link adds no bytes of its own to a directory's total.
    expect(m.dirTotals(m.findPath('bin'), FINAL)).toMatchObject({ bytes: 10, files: 2 });
  });

  it('symlinks are kept as links and never followed, so a loop is harmless', () => {
    const m = mergeLayers([
      layer('d a', 'l a/loop -> ../a/loop', 'l a/x -> y', 'l a/y -> x'),
      layer('l a/x -> z'),
    ]);
    expect([...formatLs(m)]).toEqual([
      'd 0 drwxr-xr-x a', 'l 0 lrw-r--r-- a/loop -> ../a/loop', 'l 0 lrw-r--r-- a/x -> z', 'l 0 lrw-r--r-- a/y -> x',
    ]);
    expect(changeOf(m, 'a/x', 1)).toBe('meta');
  });
});

describe('MergedImage queries', () => {
  const m = mergeLayers([
    layer('d usr', 'd usr/lib', 'f usr/lib/big.so 5000 #1', 'f usr/lib/a.so 100 #2', 'f usr/z 1 #3'),
    layer('f usr/lib/c.so 700 #4', 'f usr/lib/a.so 150 #5'),
    layer('wh usr/z'),
  ]);
  const lib = m.findPath('usr/lib');

  it('lists children by name (bytewise) or by size, per view', () => {
    const names = (ids: Int32Array) => [...ids].map((n) => m.nodes.name(n));
    expect(names(m.childrenOf(lib, FINAL))).toEqual(['a.so', 'big.so', 'c.so']);
    expect(names(m.childrenOf(lib, FINAL, 'size'))).toEqual(['big.so', 'c.so', 'a.so']);
    expect(names(m.childrenOf(lib, upTo(0)))).toEqual(['a.so', 'big.so']);
    expect(names(m.childrenOf(lib, only(1)))).toEqual(['a.so', 'c.so']);
    expect(names(m.childrenOf(m.findPath('usr'), upTo(1)))).toEqual(['lib', 'z']);
    expect(names(m.childrenOf(m.findPath('usr'), FINAL))).toEqual(['lib']);
  });

  it('knows each node\'s last writer and every layer that touched it', () => {
    const a = m.nodeInfo(m.findPath('usr/lib/a.so'), FINAL)!;
    expect(a).toMatchObject({ size: 150, lastLayer: 1, change: 'modified' });
    expect(a.history.map((h) => `${h.layer}:${h.change}`)).toEqual(['0:added', '1:modified']);
    expect(m.nodeInfo(m.findPath('usr/lib/a.so'), upTo(0))).toMatchObject({ size: 100, lastLayer: 0 });
    expect(m.nodeInfo(m.findPath('usr/z'), FINAL)).toBeUndefined();
  });

  it('totals a directory: bytes, files and the bytes each layer contributes', () => {
    expect(m.dirTotals(lib, FINAL)).toEqual({ bytes: 5850, files: 3, bytesByLayer: [5000, 850, 0] });
    expect(m.dirTotals(lib, upTo(0))).toEqual({ bytes: 5100, files: 2, bytesByLayer: [5100, 0, 0] });
    expect(m.dirTotals(m.findPath('usr'), only(1)).bytes).toBe(850);
    expect(m.totalBytes[lib]).toBe(5850);
  });
});

describe('docker save a b: two images on one shared base', () => {
  it('both images merge from the same base index, which is neither copied nor changed', () => {
    const base = layer('d etc', 'f etc/os-release 200 #1', 'd usr', 'f usr/libc.so 9000 #2');
    const snapshot = base.path.slice();
    const a = mergeLayers([base, layer('f usr/app-a 10 #3', 'wh etc/os-release')]);
    const b = mergeLayers([base, layer('f usr/app-b 20 #4')]);
    expect(a.layers[0]).toBe(base);
    expect(b.layers[0]).toBe(base);
    expect(base.path).toEqual(snapshot);
    expect(paths(a)).toEqual(['etc', 'usr', 'usr/app-a', 'usr/libc.so']);
    expect(paths(b)).toEqual(['etc', 'etc/os-release', 'usr', 'usr/app-b', 'usr/libc.so']);
  });
});

describe('formatLs', () => {
  it('prints type, size, ls-style mode (setuid, setgid, sticky) and path, as of any layer', () => {
    const m = mergeLayers([
      layer('d tmp m=1777', 'f usr/bin/su 60000 #1 m=4755', 'f usr/bin/wall 100 #2 m=2711'),
      layer('wh usr/bin/wall'),
    ]);
    expect([...formatLs(m)]).toEqual([
      'd 0 drwxrwxrwt tmp',
      'd 0 drwxr-xr-x usr',
      'd 0 drwxr-xr-x usr/bin',
      '- 60000 -rwsr-xr-x usr/bin/su',
    ]);
    expect([...formatLs(m, upTo(0))]).toContain('- 100 -rwx--s--x usr/bin/wall');
    expect([...formatLs(m, only(1))]).toEqual([
      'd 0 drwxr-xr-x usr', 'd 0 drwxr-xr-x usr/bin', '- 100 -rwx--s--x usr/bin/wall',
    ]);
  });
});

describe('MergedImage.attributes', () => {
  it('gives what a view shows at a path without building its history', () => {
    const m = mergeLayers([layer('f a 5 #1 m=0600'), layer('f a 6 #2')]);
    const a = m.findPath('a');
    expect(m.attributes(a, FINAL)).toMatchObject({ size: 6, mode: 0o644, lastLayer: 1, hash: '0000000000000002' });
    expect(m.attributes(a, upTo(0))).toMatchObject({ size: 5, mode: 0o600, lastLayer: 0 });
    expect(m.attributes(m.findPath('nope'), FINAL)).toBeUndefined();
  });
});
