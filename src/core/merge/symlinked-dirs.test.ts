// Layers that write and white out paths under a directory a lower layer made a symlink. Each image
// of src/testing/symlink-layers.ts goes through the whole pipeline (docker-save archive, tar walk,
// index, merge) and must list what real appliers left on disk. The expected listings were taken
// with scripts/symlink-cases.ts from umoci 0.4.7 (`umoci raw unpack`) and podman 4.3.1 (vfs driver,
// `podman load` + `podman image mount`), both Debian 12's; they agree except where noted.
import { describe, expect, it } from 'vitest';
import { readArchive } from '../pipeline/read-archive';
import { analyseImage } from '../analysis/analyse-image';
import { writeDockerSave } from '../../testing';
import { SYMLINK_CASES } from '../../testing/symlink-layers';
import { formatLs } from './ls';
import { FINAL } from './merged-image';
import { mergeLayers } from './merge-layers';
import { layer } from './test-layers';

const EXPECTED: Record<string, string[]> = {
  'whiteout through a symlink': ['l 0 lrwxrwxrwx link -> real', 'd 0 drwxr-xr-x real', '- 9 -rw-r--r-- real/keep'],
  'write through a symlink': [
    'l 0 lrwxrwxrwx link -> real', 'd 0 drwxr-xr-x real', '- 6 -rw-r--r-- real/f', '- 6 -rw-r--r-- real/g', '- 9 -rw-r--r-- real/keep',
  ],
  'absolute symlink, resolved inside the root': [
    'l 0 lrwxrwxrwx abs -> /real', 'd 0 drwxr-xr-x real', '- 5 -rw-r--r-- real/h', '- 9 -rw-r--r-- real/keep',
  ],
  'symlink climbing above the root': [
    'd 0 drwxr-xr-x real', '- 9 -rw-r--r-- real/keep', '- 6 -rw-r--r-- top', 'l 0 lrwxrwxrwx up -> ../../..',
  ],
  'chain of symlinks': [
    'l 0 lrwxrwxrwx a -> b', 'l 0 lrwxrwxrwx b -> real', 'd 0 drwxr-xr-x real', '- 6 -rw-r--r-- real/f', '- 3 -rw-r--r-- real/n',
  ],
  'missing directory below a symlink': [
    'l 0 lrwxrwxrwx lib -> usr/lib', 'd 0 drwxr-xr-x usr', 'd 0 drwxr-xr-x usr/lib', 'd 0 drwxr-xr-x usr/lib/sub',
    '- 9 -rw-r--r-- usr/lib/sub/y', '- 9 -rw-r--r-- usr/lib/x',
  ],
  'relative symlink inside a directory': [
    'd 0 drwxr-xr-x a', 'l 0 lrwxrwxrwx a/l -> real', 'd 0 drwxr-xr-x a/real', '- 11 -rw-r--r-- a/real/keep',
  ],
  // podman's listing. umoci follows the symlink for the opaque marker too and leaves only real/new:
  // containers/storage walks the marker's directory without following it, so it hides nothing.
  'opaque directory through a symlink': [
    'l 0 lrwxrwxrwx link -> real', 'd 0 drwxr-xr-x real', '- 6 -rw-r--r-- real/f', '- 9 -rw-r--r-- real/keep', '- 8 -rw-r--r-- real/new',
  ],
  'symlink replaced by a directory': [
    'd 0 drwxr-xr-x link', '- 6 -rw-r--r-- link/z', 'd 0 drwxr-xr-x real', '- 6 -rw-r--r-- real/f', '- 9 -rw-r--r-- real/keep',
  ],
  'whiteout of the symlink itself': ['d 0 drwxr-xr-x real', '- 6 -rw-r--r-- real/f', '- 9 -rw-r--r-- real/keep'],
};

/** Cases whose upper layer reaches a path through a symlink: the merge says so. */
const THROUGH = new Set([
  'whiteout through a symlink', 'write through a symlink', 'absolute symlink, resolved inside the root',
  'symlink climbing above the root', 'chain of symlinks', 'missing directory below a symlink',
  'relative symlink inside a directory', 'opaque directory through a symlink',
]);

describe('layers under a symlinked directory, as podman (vfs) and umoci apply them', () => {
  for (const c of SYMLINK_CASES) {
    it(c.name, async () => {
      const bytes = await writeDockerSave([{ tags: ['case:latest'], layers: c.layers }]);
      const r = await readArchive(new Blob([bytes as BlobPart]));
      const a = analyseImage(r.images[0]!, r.results);
      expect([...formatLs(a.merged, FINAL)]).toEqual(EXPECTED[c.name]);
      const codes = a.merged.state.warnings.map((w) => [w.code, w.layer]);
      expect(codes).toEqual(THROUGH.has(c.name) ? [['layer-path-through-symlink', 1]] : []);
    });
  }

  it('names the first entry placed through a symlink and counts the others', () => {
    const m = mergeLayers([layer('d real', 'l link -> real'), layer('f link/a 1', 'f link/b 1', 'wh link/c')]);
    expect(m.state.warnings.map((w) => w.message)).toEqual([
      "layer 1: 3 entries are under a directory a lower layer made a symlink (first: link/ is real): applied through the symlink, inside the root, as podman's vfs driver (containers/storage) and umoci do; an overlay driver unpacks each layer on its own and would show a directory there instead",
    ]);
  });

  it('stops after 40 symlinks (ELOOP), keeping the entry where its path says', () => {
    const m = mergeLayers([layer('l x m=0777 -> y', 'l y m=0777 -> x'), layer('f x/z 4')]);
    expect([...formatLs(m)]).toEqual(['d 0 drwxr-xr-x x', '- 4 -rw-r--r-- x/z', 'l 0 lrwxrwxrwx y -> x']);
    expect(m.state.warnings.map((w) => [w.code, w.layer])).toEqual([['layer-symlink-loop', 1]]);
  });

  it('follows a symlink written earlier in the same layer, and not one replaced earlier in it', () => {
    const m = mergeLayers([layer('d real', 'l old m=0777 -> real'), layer('l new m=0777 -> real', 'f new/a 1', 'd old', 'f old/b 2')]);
    expect([...formatLs(m)]).toEqual([
      'l 0 lrwxrwxrwx new -> real', 'd 0 drwxr-xr-x old', '- 2 -rw-r--r-- old/b', 'd 0 drwxr-xr-x real', '- 1 -rw-r--r-- real/a',
    ]);
  });
});
