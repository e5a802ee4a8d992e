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

  it('shares the common base of two images once and draws each image\'s own layers in its own lane above it', () => {
    const g = layoutLayerGraph([img('v1', ['b', 'c', 'v1app', 'v1chmod']), img('v2', ['b', 'c', 'v2app', 'v2chmod', 'extra'])]);
    const line = (r: (typeof g.rows)[number]) => `${r.lane} ${r.kind} ${r.kind === 'layer' ? r.key : r.kind === 'step' ? r.text : r.label}`;
    // Bottom-up: the shared base once, then v1's branch whole (layers, writable layer, tag), then v2's.
    expect(g.rows.map(line)).toEqual([
      '0 layer b', '0 layer c',
      '0 layer v1app', '0 layer v1chmod', '0 writable v1', '0 head v1',
      '1 layer v2app', '1 layer v2chmod', '1 layer extra', '1 writable v2', '1 head v2',
    ]);
    expect(g.rows.filter((r) => r.kind === 'layer' && r.shared).length).toBe(2);
    expect(g.lanes).toBe(2);
    // The branch grows out of the last shared layer, and each lane runs up to its own head.
    const cRow = g.rows.findIndex((r) => r.kind === 'layer' && r.key === 'c');
    expect(g.edges.filter((e) => e.fromRow === cRow).map((e) => [e.toRow, e.fromLane, e.toLane])).toEqual([[2, 0, 0], [6, 0, 1]]);
    expect(g.edges.filter((e) => e.fromLane !== e.toLane)).toHaveLength(1);
  });

  it('an image that ends where another goes on gets its own lane for its writable layer and tag', () => {
    const g = layoutLayerGraph([img('app', ['b', 'app']), img('base', ['b'])]);
    expect(g.rows.map((r) => `${r.lane} ${r.kind}`)).toEqual(['0 layer', '0 layer', '0 writable', '0 head', '1 writable', '1 head']);
  });
});
