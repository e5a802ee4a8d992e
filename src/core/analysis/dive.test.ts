import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeLayers } from '../merge';
import { layer } from '../merge/test-layers';
import { readArchive } from '../pipeline/read-archive';
import { DIVE_DIR, diveFixture, haveDive, SKIP_DIVE } from '../../../test/shared-fixtures';
import { diveAnalysis, diveFileList } from './dive';

interface DiveExport {
  image: { sizeBytes: number; inefficientBytes: number; efficiencyScore: number; fileReference: { count: number; sizeBytes: number; file: string }[] };
  layer: { index: number; sizeBytes: number; command: string; fileList: { path: string }[] }[];
}

describe.skipIf(!haveDive)(`dive's own export of its test image${SKIP_DIVE}`, () => {
  it('gives the same image figures, inefficient files, and per-layer sizes, commands and paths', async () => {
    const expected = JSON.parse(await readFile(join(DIVE_DIR, 'expected/test-docker-image.export.json'), 'utf8')) as DiveExport;
    const archive = await readArchive(await diveFixture('test-docker-image.tar'));
    const image = archive.images[0]!;
    const merged = mergeLayers(image.layers.map((l) => l.entries));
    const dive = diveAnalysis(merged, image.layers.map((l) => l.command));

    expect(dive.sizeBytes).toBe(expected.image.sizeBytes);
    expect(dive.inefficientBytes).toBe(expected.image.inefficientBytes);
    expect(dive.efficiencyScore).toBe(expected.image.efficiencyScore);
    expect(dive.fileReference).toEqual(expected.image.fileReference);
    expect(dive.layers.length).toBe(expected.layer.length);
    expected.layer.forEach((want, l) => {
      expect(dive.layers[l], `layer ${l}`).toEqual({ index: want.index, sizeBytes: want.sizeBytes, command: want.command });
      expect(new Set(diveFileList(merged, l)), `layer ${l} paths`).toEqual(new Set(want.fileList.map((f) => f.path)));
    });
    expect(dive.userWastedPercent).toBe(32025 / (1220598 - expected.layer[0]!.sizeBytes));
  });
});

describe('diveAnalysis definitions', () => {
  it('a path seen in two layers counts all its copies; a file whiteout counts 0 toward its path', () => {
    const m = mergeLayers([
      layer('f a 100 #1', 'f b 10 #2'),
      layer('f a 100 #1'),
      layer('wh b'),
    ]);
    const d = diveAnalysis(m);
    expect(d.fileReference).toEqual([
      { count: 2, sizeBytes: 200, file: '/a' },
      { count: 2, sizeBytes: 10, file: '/b' },
    ]);
    expect(d.inefficientBytes).toBe(210);
    // min(a)=100, min(b)=0 over cumulative 210
    expect(d.efficiencyScore).toBe(100 / 210);
    expect(d.sizeBytes).toBe(210);
    expect(d.userWastedPercent).toBe(210 / 100);
  });

  it('a removed directory counts what it held in the stacked lower layers', () => {
    const m = mergeLayers([
      layer('d d', 'f d/x 40 #1', 'd d/sub', 'f d/sub/y 2 #2'),
      layer('f d/z 8 #3'),
      layer('wh d'),
    ]);
    const d = diveAnalysis(m);
    // '/d' is a leaf only in layer 2 (as the whiteout): sized 50, seen once, so not inefficient.
    expect(d.fileReference).toEqual([]);
    expect(d.efficiencyScore).toBe(1);
    expect(d.layers.map((l) => l.sizeBytes)).toEqual([42, 8, 0]);
  });

  it('dive ignores opaque markers when stacking, so a later whiteout still counts hidden files', () => {
    const m = mergeLayers([
      layer('d d', 'f d/old 30 #1'),
      layer('d d', 'opq d', 'f d/new 5 #2'),
      layer('wh d'),
      layer('d d', 'f d/new 5 #2'),
    ]);
    const d = diveAnalysis(m);
    // Whiteout of d sized 35 (old + new) as dive sees it; '/d' is then a leaf nowhere else.
    expect(d.fileReference).toEqual([{ count: 2, sizeBytes: 10, file: '/d/new' }]);
    const cumulative = 30 + 5 + 35 + 5;
    const minimum = 30 + 5 + 35;
    expect(d.efficiencyScore).toBe(minimum / cumulative);
  });

  it('directories are counted only where they are leaves of a layer', () => {
    const m = mergeLayers([layer('d e'), layer('d e'), layer('d e', 'f e/f 1 #1')]);
    expect(diveAnalysis(m).fileReference).toEqual([{ count: 2, sizeBytes: 0, file: '/e' }]);
  });

  it('lists a layer\'s paths as dive does: whiteouts by marker name, no opaque markers', () => {
    const m = mergeLayers([layer('d d', 'f d/x 1'), layer('d d', 'opq d', 'wh d/x')]);
    expect(diveFileList(m, 1).sort()).toEqual(['d', 'd/.wh.x']);
  });
});
