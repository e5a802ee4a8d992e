// What the "Why so large" tab shows of an image: the size map's directories with the layer that
// wrote most of their bytes (the colour of a directory), and the largest files and directories.
// Written out by hand from the layers below.
import { describe, expect, it } from 'vitest';
import { mergeLayers } from '../merge';
import { layer } from '../merge/test-layers';
import { largestDirs, largestFiles, sizeMap, type SizeNode } from './size-map';

// Layer 0 writes most of /usr; layer 1 writes most of /opt and overwrites /usr/lib/big; layer 2
// removes /usr/share (its bytes leave every total) and adds /usr/bin/tool and /opt/big. The
// symlink /usr/bin/bash counts as a file and holds no bytes.
const merged = mergeLayers([
  layer('f usr/lib/big 500 #1', 'f usr/lib/small 20 #2', 'f usr/share/doc/a 300 #3', 'f usr/bin/sh 100 #4', 'f opt/x/y 10 #5', 'l usr/bin/bash -> sh'),
  layer('f usr/lib/big 50 #6', 'f opt/x/z 400 #7', 'f opt/x/w 400 #8', 'f etc/conf 100 #9'),
  layer('wh usr/share', 'f usr/bin/tool 60 #10', 'f opt/big 400 #11'),
]);

/** name:size:layer of each node, children indented below their directory. */
function outline(n: SizeNode, depth = 0): string[] {
  return [`${'  '.repeat(depth)}${n.name}:${n.size}:${n.layer}${n.otherBytes ? ` other ${n.otherBytes}` : ''}`, ...(n.children ?? []).flatMap((c) => outline(c, depth + 1))];
}

describe('size map', () => {
  it('lists directories largest first, each coloured by the layer that wrote most of its bytes', () => {
    expect(outline(sizeMap(merged, '')!)).toEqual([
      '/:1540:1',
      '  opt:1210:1',
      '    x:810:1',
      '      w:400:1',
      '      z:400:1',
      '      y:10:0',
      '    big:400:2',
      '  usr:230:0',
      '    bin:160:0',
      '      sh:100:0',
      '      tool:60:2',
      '    lib:70:1',
      '      big:50:1',
      '      small:20:0',
      '  etc:100:1',
      '    conf:100:1',
    ]);
  });

  it('zooms into a directory, and cuts the tree at the depth asked for', () => {
    expect(outline(sizeMap(merged, 'usr', { depth: 1 })!)).toEqual(['usr:230:0', '  bin:160:0', '  lib:70:1']);
    expect(sizeMap(merged, 'usr/share')).toBeUndefined();
  });

  it('puts what the node budget leaves out in otherBytes', () => {
    expect(outline(sizeMap(merged, '', { budget: 2 })!)).toEqual(['/:1540:1 other 330', '  opt:1210:1 other 400', '    x:810:1 other 810']);
  });
});

describe('largest files and directories', () => {
  it('are the final filesystem\'s, biggest first, ties in path order', () => {
    expect(largestFiles(merged, 4)).toEqual([
      { path: 'opt/big', size: 400, layer: 2 },
      { path: 'opt/x/w', size: 400, layer: 1 },
      { path: 'opt/x/z', size: 400, layer: 1 },
      { path: 'etc/conf', size: 100, layer: 1 },
    ]);
    expect(largestDirs(merged, 3)).toEqual([
      { path: 'opt', size: 1210, files: 4 },
      { path: 'opt/x', size: 810, files: 3 },
      { path: 'usr', size: 230, files: 5 },
    ]);
  });
});
