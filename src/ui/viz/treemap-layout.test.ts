import { describe, expect, it } from 'vitest';
import type { SizeNode } from '../../core/views/size-map';
import { layoutTreemap, subtreeAt, type TreemapCell } from './treemap-layout';

const file = (path: string, size: number, layer = 0): SizeNode => ({ name: path.slice(path.lastIndexOf('/') + 1), path, size, layer });
const dir = (path: string, children: SizeNode[], otherBytes?: number, layer = 0): SizeNode => ({
  name: path.slice(path.lastIndexOf('/') + 1) || '/', path, layer, children,
  size: children.reduce((n, c) => n + c.size, 0) + (otherBytes ?? 0),
  ...(otherBytes ? { otherBytes } : {}),
});

// A PyTorch-shaped image: one huge library directory, a few small ones, a zero-byte file.
const tree = dir('', [
  dir('usr', [
    dir('usr/lib', [file('usr/lib/libtorch.so', 6000, 2), file('usr/lib/libc.so', 1000, 0)]),
    file('usr/bin/python', 500, 1),
  ]),
  dir('app', [file('app/main.py', 300, 3), file('app/empty', 0, 3)]),
  dir('etc', [file('etc/passwd', 200, 0)], 100),
  file('.dockerenv', 0),
]);

const area = (c: TreemapCell) => (c.x1 - c.x0) * (c.y1 - c.y0);
const byPath = (cells: TreemapCell[], p: string) => cells.find((c) => c.path === p)!;

describe('layoutTreemap', () => {
  it('gives each file an area proportional to its bytes', () => {
    const l = layoutTreemap(tree, { width: 800, height: 500, padding: 0, headerHeight: 0 });
    expect(l.total).toBe(8100);
    const leaves = l.cells.filter((c) => c.kind !== 'dir');
    const perByte = (800 * 500) / 8100;
    for (const c of leaves) expect(area(c)).toBeCloseTo(c.size * perByte, 3);
    // The 6000-byte library takes most of the map.
    expect(area(byPath(l.cells, 'usr/lib/libtorch.so')) / (800 * 500)).toBeCloseTo(6000 / 8100, 5);
  });

  it('keeps children inside their parents, below the label strip when there is one', () => {
    const l = layoutTreemap(tree, { width: 800, height: 500, padding: 2, headerHeight: 18 });
    const byId = new Map(l.cells.map((c) => [c.id, c]));
    for (const c of l.cells) {
      expect(c.x0).toBeGreaterThanOrEqual(0);
      expect(c.y0).toBeGreaterThanOrEqual(0);
      expect(c.x1).toBeLessThanOrEqual(800 + 1e-9);
      expect(c.y1).toBeLessThanOrEqual(500 + 1e-9);
      if (c.parentId === null) continue;
      const p = byId.get(c.parentId)!;
      expect(p.depth).toBe(c.depth - 1);
      expect(c.x0).toBeGreaterThanOrEqual(p.x0);
      expect(c.x1).toBeLessThanOrEqual(p.x1);
      expect(c.y0).toBeGreaterThanOrEqual(p.y0 + (p.header ? 18 : 0));
      expect(c.y1).toBeLessThanOrEqual(p.y1);
    }
    expect(byPath(l.cells, 'usr').header).toBe(true);
    // Parents are listed before their children, so painting in order puts children on top.
    const seen = new Set<string>();
    for (const c of l.cells) {
      if (c.parentId) expect(seen.has(c.parentId)).toBe(true);
      seen.add(c.id);
    }
  });

  it('drops zero-byte files and directories', () => {
    const l = layoutTreemap(tree, { width: 400, height: 300 });
    expect(l.cells.some((c) => c.path === 'app/empty' || c.path === '.dockerenv')).toBe(false);
    expect(l.cells.every((c) => c.size > 0)).toBe(true);
    const allEmpty = dir('', [file('a', 0), dir('b', [file('b/c', 0)])]);
    expect(layoutTreemap(allEmpty, { width: 400, height: 300 }).cells).toEqual([]);
  });

  it('shows the bytes a bounded tree left out as one "other" rectangle in that directory', () => {
    const l = layoutTreemap(tree, { width: 800, height: 500, padding: 0, headerHeight: 0 });
    const other = l.cells.filter((c) => c.kind === 'other');
    expect(other).toHaveLength(1);
    expect(other[0]!.size).toBe(100);
    expect(other[0]!.parentId).toBe(byPath(l.cells, 'etc').id);
    expect(byPath(l.cells, 'etc').size).toBe(300);
    expect(area(other[0]!)).toBeCloseTo((100 / 8100) * 800 * 500, 3);
  });

  it('marks leaves at the engine depth limit as possibly directories, and nothing above it', () => {
    const deep = dir('', [dir('a', [dir('a/b', [file('a/b/c', 10), file('a/b/d', 5)]), file('a/f', 5)])]);
    const l = layoutTreemap(deep, { width: 300, height: 200, depthLimit: 3 });
    expect(byPath(l.cells, 'a/b/c').mayHaveChildren).toBe(true);
    expect(byPath(l.cells, 'a/f').mayHaveChildren).toBe(false);
    expect(byPath(l.cells, 'a/b').kind).toBe('dir');
  });

  it('lays out nothing in an empty box, and finds subtrees by cell id for client-side zoom', () => {
    expect(layoutTreemap(tree, { width: 0, height: 200 }).cells).toEqual([]);
    const l = layoutTreemap(tree, { width: 800, height: 500 });
    const usrLib = byPath(l.cells, 'usr/lib');
    expect(subtreeAt(tree, usrLib.id)?.path).toBe('usr/lib');
    expect(subtreeAt(tree, 'r')).toBe(tree);
    expect(subtreeAt(tree, byPath(l.cells, 'etc').id + '/other')).toBeUndefined();
  });
});
