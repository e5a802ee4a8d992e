// The rows a user scrolls through: what each view shows, what the filters keep, how expansion works.
import { describe, expect, it } from 'vitest';
import { mergeLayers } from '../merge';
import { layer } from '../merge/test-layers';
import { OPEN_CHANGES_LIMIT, TreeWindows } from './tree-rows';
import type { TreeFilter, TreeRowsRequest } from './types';
import { toImageId } from '../types';

const ALL: TreeFilter = { text: '', regex: false, minSize: 0, show: { added: true, modified: true, meta: true, removed: true, unchanged: true } };

const merged = mergeLayers([
  layer('d root', 'd root/example', 'f root/example/a.txt 100 #1', 'f root/example/b.txt 50 #2', 'f etc/passwd 10 #3'),
  layer('f root/saved.txt 100 #1', 'f etc/passwd 12 #4'),
  layer('wh root/example'),
]);

function req(over: Partial<TreeRowsRequest> = {}): TreeRowsRequest {
  return { imageId: toImageId('x'), view: { mode: 'final', layer: 0 }, expanded: [], expandAll: false, filter: ALL, sort: 'name', offset: 0, limit: 100, ...over };
}
const paths = (w: TreeWindows, r: TreeRowsRequest) => w.rows(r).rows.map((x) => `${x.path}:${x.change}`);

describe('tree windows', () => {
  it('final view: collapsed top level, directory sizes, then expanded children', () => {
    const w = new TreeWindows(merged);
    const top = w.rows(req());
    expect(top.rows.map((r) => [r.path, r.size, r.hasChildren])).toEqual([['etc', 12, true], ['root', 100, true]]);
    expect(paths(w, req({ expanded: ['root'] }))).toEqual(['etc:unchanged', 'root:unchanged', 'root/saved.txt:unchanged']);
  });

  it('the rm -rf layer shows the removed directory as removed, in its own view and cumulatively', () => {
    const w = new TreeWindows(merged);
    expect(paths(w, req({ view: { mode: 'layerOnly', layer: 2 }, expanded: ['root'] }))).toEqual(['root:unchanged', 'root/example:removed']);
    const upTo = w.rows(req({ view: { mode: 'upTo', layer: 2 }, expanded: ['root'] })).rows;
    const ex = upTo.find((r) => r.path === 'root/example')!;
    expect(ex.change).toBe('removed');
    expect(ex.size).toBe(150);
  });

  it('a filter in "This layer" finds what the layer removed, and hides it when Removed is off', () => {
    const w = new TreeWindows(merged);
    const view = { mode: 'layerOnly' as const, layer: 2 };
    expect(paths(w, req({ view, filter: { ...ALL, text: 'example' } }))).toEqual(['root:unchanged', 'root/example:removed']);
    expect(paths(w, req({ view, filter: { ...ALL, text: 'root/example', regex: false } }))).toEqual(['root:unchanged', 'root/example:removed']);
    expect(paths(w, req({ view, filter: { ...ALL, text: 'example', show: { ...ALL.show, removed: false } } }))).toEqual([]);
  });

  it('layer 1 view: modified and added files', () => {
    const w = new TreeWindows(merged);
    expect(paths(w, req({ view: { mode: 'layerOnly', layer: 1 }, expandAll: true }))).toEqual([
      'etc:unchanged', 'etc/passwd:modified', 'root:unchanged', 'root/saved.txt:added',
    ]);
  });

  it('substring and regex filters show matches with their directories; change toggles hide kinds', () => {
    const w = new TreeWindows(merged);
    const view = { mode: 'upTo' as const, layer: 1 };
    expect(paths(w, req({ view, filter: { ...ALL, text: 'B.TXT' } }))).toEqual(['root:unchanged', 'root/example:unchanged', 'root/example/b.txt:unchanged']);
    expect(paths(w, req({ view, filter: { ...ALL, text: '^/etc/', regex: true } }))).toEqual(['etc:unchanged', 'etc/passwd:modified']);
    expect(paths(w, req({ view, filter: { ...ALL, show: { ...ALL.show, unchanged: false } } }))).toEqual([
      'etc:unchanged', 'etc/passwd:modified', 'root:unchanged', 'root/saved.txt:added',
    ]);
    expect(paths(w, req({ view, filter: { ...ALL, text: '(' , regex: true } }))).toEqual([]);
  });

  it('a plain filter matches anywhere in the path, ignoring case: a directory\'s name keeps its files, a / spans names', () => {
    const w = new TreeWindows(mergeLayers([
      layer('d srv', 'd srv/Café', 'f srv/Café/menu.txt 5 #1', 'f srv/Café/Bar.TXT 6 #2', 'f srv/cafe.md 7 #3', 'f srv/barn.txt 8 #4'),
    ]));
    const view = { mode: 'final' as const, layer: 0 };
    const filter = (text: string) => paths(w, req({ view, filter: { ...ALL, text } })).map((p) => p.split(':')[0]);
    expect(filter('CAF')).toEqual(['srv', 'srv/Café', 'srv/Café/Bar.TXT', 'srv/Café/menu.txt', 'srv/cafe.md']);
    expect(filter('bar')).toEqual(['srv', 'srv/Café', 'srv/Café/Bar.TXT', 'srv/barn.txt']);
    expect(filter('é/b')).toEqual(['srv', 'srv/Café', 'srv/Café/Bar.TXT']);
    expect(filter('CAFÉ')).toEqual(['srv', 'srv/Café', 'srv/Café/Bar.TXT', 'srv/Café/menu.txt']);
    expect(filter('srv/cafe')).toEqual(['srv', 'srv/cafe.md']);
    expect(filter('nothing')).toEqual([]);
  });

  it('in the final image a filter finds what the image holds: not what a layer removed, and an empty directory by its own name', () => {
    const w = new TreeWindows(mergeLayers([...merged.layers, layer('d srv/examples')]));
    const view = { mode: 'final' as const, layer: 3 };
    expect(paths(w, req({ view, filter: { ...ALL, text: 'example' } }))).toEqual(['srv:added', 'srv/examples:added']);
    expect(paths(w, req({ view, filter: { ...ALL, text: 'A' } }))).toEqual(['etc:unchanged', 'etc/passwd:unchanged', 'root:unchanged', 'root/saved.txt:unchanged', 'srv:added', 'srv/examples:added']);
    expect(paths(w, req({ view, filter: { ...ALL, text: '^/root/', regex: true } }))).toEqual(['root:unchanged', 'root/saved.txt:unchanged']);
  });

  it('minimum size and sort by size', () => {
    const w = new TreeWindows(merged);
    const view = { mode: 'upTo' as const, layer: 1 };
    expect(paths(w, req({ view, filter: { ...ALL, minSize: 60 } }))).toEqual(['root:unchanged', 'root/example:unchanged', 'root/example/a.txt:unchanged', 'root/saved.txt:added']);
    expect(w.rows(req({ view, sort: 'size' })).rows.map((r) => r.path)).toEqual(['root', 'etc']);
  });

  it('windows: offset and limit over the flat list, with the total', () => {
    const w = new TreeWindows(merged);
    const r = w.rows(req({ view: { mode: 'upTo', layer: 1 }, expandAll: true, offset: 2, limit: 2 }));
    expect(r.total).toBe(7);
    expect(r.rows.map((x) => x.path)).toEqual(['root', 'root/example']);
  });

  it('details: every layer that touched a path, and directory totals', () => {
    const w = new TreeWindows(merged);
    const d = w.details({ mode: 'final', layer: 0 }, 'etc/passwd')!;
    expect(d.size).toBe(12);
    expect(d.history.map((h) => [h.layer, h.change])).toEqual([[0, 'added'], [1, 'modified']]);
    const ex = w.details({ mode: 'layerOnly', layer: 2 }, 'root/example')!;
    expect(ex.history.at(-1)).toMatchObject({ layer: 2, change: 'removed', size: 150 });
  });
});

describe('"This layer" opens the way to its changes', () => {
  it('the rm -rf layer shows the removed directory without a click, and names what it opened', () => {
    const w = new TreeWindows(merged);
    const r = w.rows(req({ view: { mode: 'layerOnly', layer: 2 }, openChanges: true }));
    expect(r.rows.map((x) => `${x.path}:${x.change}:${x.expanded}`)).toEqual(['root:unchanged:true', 'root/example:removed:false']);
    expect(r.opened).toEqual(['root']);
  });

  it('adds to the user\'s own expansion, and leaves "Up to", "Final" and expand-all alone', () => {
    const w = new TreeWindows(merged);
    const r = w.rows(req({ view: { mode: 'layerOnly', layer: 0 }, expanded: ['etc'], openChanges: true }));
    expect(r.rows.map((x) => x.path)).toEqual(['etc', 'etc/passwd', 'root', 'root/example', 'root/example/a.txt', 'root/example/b.txt']);
    expect(r.opened).toEqual(['root', 'root/example']);
    expect(paths(w, req({ view: { mode: 'upTo', layer: 2 }, openChanges: true }))).toEqual(['etc:unchanged', 'root:unchanged']);
    expect(paths(w, req({ view: { mode: 'final', layer: 0 }, openChanges: true }))).toEqual(['etc:unchanged', 'root:unchanged']);
    expect(w.rows(req({ view: { mode: 'layerOnly', layer: 2 }, openChanges: true, expandAll: true, expanded: ['root'] })).rows.map((x) => x.path)).toEqual(['root']);
  });

  it(`opens nothing in a layer that changes more than ${OPEN_CHANGES_LIMIT} paths`, () => {
    const many = Array.from({ length: OPEN_CHANGES_LIMIT }, (_, i) => `f usr/share/doc/f${i} 1 #${i + 1}`);
    const big = mergeLayers([layer('d usr', 'd usr/share', 'd usr/share/doc', ...many.slice(0, OPEN_CHANGES_LIMIT - 3)), layer('d usr', 'd usr/share', 'd usr/share/doc', ...many)]);
    const w = new TreeWindows(big);
    const few = w.rows(req({ view: { mode: 'layerOnly', layer: 0 }, openChanges: true, limit: 3 }));
    expect([few.total, few.opened]).toEqual([OPEN_CHANGES_LIMIT, ['usr', 'usr/share', 'usr/share/doc']]);
    const lots = w.rows(req({ view: { mode: 'layerOnly', layer: 1 }, openChanges: true }));
    expect([lots.total, lots.opened, lots.rows[0]?.expanded]).toEqual([1, undefined, false]);
  });
});

describe('row of a path', () => {
  it('finds a deep path once its directories are expanded, -1 when collapsed', () => {
    const w = new TreeWindows(merged);
    const view = { mode: 'upTo' as const, layer: 1 };
    expect(w.rowOf(req({ view, expanded: ['root', 'root/example'] }), 'root/example/b.txt')).toBe(4);
    expect(w.rowOf(req({ view }), 'root/example/b.txt')).toBe(-1);
  });
});
