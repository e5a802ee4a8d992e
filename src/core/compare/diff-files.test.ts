// The final filesystems of two images joined by path, on layers written out line by line.
import { describe, expect, it } from 'vitest';
import { mergeLayers } from '../merge';
import { layer } from '../merge/test-layers';
import { LayerIndexBuilder } from '../index/layer-index';
import { EntryKind } from '../types';
import { diffFiles, PATH_CHANGE_NAMES, type FileDiffOptions } from './diff-files';

function rows(a: string[][], b: string[][], opts?: FileDiffOptions) {
  const A = mergeLayers(a.map((l) => layer(...l)));
  const B = mergeLayers(b.map((l) => layer(...l)));
  const d = diffFiles(A, B, opts);
  const out: string[] = [];
  for (let i = 0; i < d.paths.count; i++) {
    const x = d.paths.nodeA[i]!;
    out.push(`${PATH_CHANGE_NAMES[d.paths.change[i]!]} ${x >= 0 ? A.path(x) : B.path(d.paths.nodeB[i]!)}`);
  }
  return { out, totals: d.totals, d, A, B };
}

// The merge still creates missing parents recursively (another branch makes it iterative): 8k
// levels is what the merge survives today; raise to 222k once it is iterative.
const DEPTH = 8_000;

const BASE = ['d etc', 'f etc/os-release 100 #1', 'd usr/bin', 'f usr/bin/python 5000 #2', 'l usr/bin/python3 -> python', 'f usr/bin/tool 10 #3 m=0755'];

describe('diffFiles', () => {
  it('lists every kind of change in tar order, with counts and bytes', () => {
    const { out, totals } = rows([BASE], [[
      'd etc', 'f etc/os-release 100 #1',
      'd usr/bin', 'f usr/bin/python 6000 #4', 'l usr/bin/python3 -> python3.12', 'f usr/bin/tool 10 #3 m=0700 u=1000',
      'd app', 'f app/main.py 42 #5',
    ]]);
    expect(out).toEqual([
      'added app', 'added app/main.py',
      'changed usr/bin/python', 'changed usr/bin/python3', 'metadata usr/bin/tool',
    ]);
    expect(totals).toMatchObject({
      countA: 4, countB: 5, bytesA: 5110, bytesB: 6152,
      added: 1, removed: 0, changed: 2, metadata: 1, addedBytes: 42, changedBytesA: 5000, changedBytesB: 6000,
    });
  });

  it('sees a changed content hash at the same size, and ignores mtimes unless asked', () => {
    const a = [['f x 10 #1 t=100', 'f y 10 #2 t=100']];
    const b = [['f x 10 #1 t=200', 'f y 10 #9 t=100']];
    expect(rows(a, b).out).toEqual(['changed y']);
    expect(rows(a, b, { includeMtime: true }).out).toEqual(['metadata x', 'changed y']);
  });

  it('reports a directory replaced by a file as one changed path and the directory\'s contents removed', () => {
    const { out, totals } = rows([['d opt/lib', 'f opt/lib/a.so 300 #1', 'f opt/lib/b.so 200 #2']], [['d opt', 'f opt/lib 7 #3']]);
    expect(out).toEqual(['changed opt/lib', 'removed opt/lib/a.so', 'removed opt/lib/b.so']);
    expect(totals).toMatchObject({ changed: 1, removed: 2, removedBytes: 500, changedBytesA: 0, changedBytesB: 7 });
  });

  it('applies whiteouts before comparing: a file a later layer removed is removed', () => {
    const { out } = rows([BASE], [BASE, ['wh usr/bin/tool']]);
    expect(out).toEqual(['removed usr/bin/tool']);
  });

  it('drops ignored paths from the listing and from directory sizes', () => {
    const a = [['d app/__pycache__', 'f app/__pycache__/m.pyc 900 #1', 'f app/m.py 10 #2', 'f app/x.pyc 5 #3']];
    const b = [['d app/__pycache__', 'f app/__pycache__/m.pyc 950 #4', 'f app/m.py 11 #5']];
    const plain = rows(a, b);
    expect(plain.out).toEqual(['changed app/__pycache__/m.pyc', 'changed app/m.py', 'removed app/x.pyc']);
    const ignored = rows(a, b, { ignore: ['__pycache__', '*.pyc'] });
    expect(ignored.out).toEqual(['changed app/m.py']);
    expect(ignored.totals).toMatchObject({ ignored: 2, countA: 1, countB: 1, bytesA: 10, bytesB: 11 });
    const { d } = ignored;
    const app = [...Array(d.dirs.count).keys()].find((i) => d.dirs.depth[i] === 1)!;
    expect([d.sideA.dirBytes(d.dirs.nodeA[app]!), d.sideB.dirBytes(d.dirs.nodeB[app]!)]).toEqual([10, 11]);
  });

  it('joins names byte-wise (UTF-8), as both tables sort them', () => {
    const { out } = rows([['f Z 1 #1', 'f a 1 #1', 'f é 1 #1']], [['f Z 1 #1', 'f b 1 #1', 'f é 1 #1']]);
    expect(out).toEqual(['removed a', 'added b']);
  });

  it(`walks a ${DEPTH}-deep path without overflowing the stack`, () => {
    const deep = Array.from({ length: DEPTH }, () => 'd').join('/');
    const build = (size: number) => {
      const b = new LayerIndexBuilder();
      b.add({ path: `${deep}/f`, kind: EntryKind.file, mode: 0o644, uid: 0, gid: 0, size, mtime: 0 });
      return mergeLayers([b.finish()]);
    };
    const d = diffFiles(build(1), build(2));
    expect(d.paths.count).toBe(1);
    expect(d.paths.depth[0]).toBe(DEPTH + 1);
    expect(d.totals.changed).toBe(1);
    expect(d.dirs.count).toBe(DEPTH + 1);
  });
});
