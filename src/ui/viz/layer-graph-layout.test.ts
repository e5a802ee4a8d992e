import { describe, expect, it } from 'vitest';
import { layoutLayerGraph, type GraphImageInput } from './layer-graph-layout';

const img = (id: string, keys: string[], steps: string[][] = []): GraphImageInput => ({
  id, label: id, layers: keys.map((key, index) => ({ key, index })), stepsBefore: steps,
});

describe('layoutLayerGraph', () => {
  it('draws one image as one lane, base first, writable layer last', () => {
    const g = layoutLayerGraph([img('a', ['x', 'y'], [[], ['ENV A=1'], ['CMD ["sh"]']])]);
    expect(g.rows.map((r) => r.kind)).toEqual(['layer', 'step', 'layer', 'step', 'writable']);
    expect(g.lanes).toBe(1);
    expect(g.rows.every((r) => r.lane === 0)).toBe(true);
    expect(g.rows.some((r) => r.kind === 'layer' && r.shared)).toBe(false);
  });

  it('shares the common base of two images once and branches where they diverge', () => {
    const g = layoutLayerGraph([img('v1', ['b', 'c', 'v1app']), img('v2', ['b', 'c', 'v2app', 'extra'])]);
    const layers = g.rows.filter((r) => r.kind === 'layer');
    expect(layers.map((r) => r.kind === 'layer' && r.key)).toEqual(['b', 'c', 'v1app', 'v2app', 'extra']);
    expect(layers.filter((r) => r.kind === 'layer' && r.shared).length).toBe(2);
    expect(g.lanes).toBe(2);
    const v2 = g.rows.find((r) => r.kind === 'layer' && r.key === 'v2app');
    expect(v2?.lane).toBe(1);
    // Both writable container layers are on top.
    expect(g.rows.slice(-2).map((r) => r.kind)).toEqual(['writable', 'writable']);
    // The branch grows out of the last shared layer.
    const cRow = g.rows.findIndex((r) => r.kind === 'layer' && r.key === 'c');
    expect(g.edges.some((e) => e.fromRow === cRow && e.toLane === 1)).toBe(true);
  });
});
