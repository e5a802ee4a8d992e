// Depth is data, never stack: a path 50,000 directories deep (node-tar's excessively-deep.tar goes
// to 222,371; 30,000 overflowed the merge's call stack before) merges, lists and is analysed.
// The layer index leaves out paths past PATH_MAX (pipeline/index-layer.ts); the merge and the
// views must not depend on that.
import { describe, expect, it } from 'vitest';
import { diveAnalysis } from '../analysis/dive';
import { reclaimable } from '../analysis/reclaimable';
import { sizeMap } from '../views/size-map';
import { FINAL, mergeLayers, ROOT } from './index';
import { layer } from './test-layers';

const DEPTH = 50_000;
const deep = Array.from({ length: DEPTH }, () => 'a').join('/');

describe('a path 50,000 directories deep', () => {
  it('merges, lists every directory parents first, and a whiteout removes the chain', () => {
    const m = mergeLayers([layer(`f ${deep}/f 3 #1`), layer(`f ${deep}/g 4 #2`), layer('wh a')]);
    const upTo1 = { mode: 'upTo', layer: 1 } as const;
    let n = 0;
    let last = -1;
    for (const node of m.listAll(upTo1)) {
      n++;
      last = node;
    }
    expect(n).toBe(DEPTH + 2);
    let depth = 0;
    for (let n = last; n !== ROOT; n = m.nodes.parent[n]!) depth++;
    expect(depth).toBe(DEPTH + 1);
    expect(m.sizeOf(ROOT, upTo1)).toBe(7);
    expect([...m.listAll(FINAL)]).toEqual([]);
    expect(m.changeCounts(2)).toMatchObject({ removed: 1, removedBytes: 7 });
  });

  it('gives dive figures, reclaimable bytes and a size map', () => {
    const m = mergeLayers([layer(`f ${deep}/f 3 #1`), layer(`f ${deep}/f 3 #1`)]);
    expect(diveAnalysis(m).inefficientBytes).toBe(6);
    expect(reclaimable(m).totalBytes).toBe(3);
    expect(sizeMap(m, '')).toMatchObject({ size: 3, children: [{ name: 'a', size: 3 }] });
  });
});
