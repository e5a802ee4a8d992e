// Images whose upper layers write and white out paths under a directory that a lower layer made a
// symlink: the cases where appliers disagree (containers/storage and umoci follow the image's own
// symlinks, resolved inside the rootfs; an overlayfs snapshotter applies each layer into an empty
// directory and so does not). merge/symlinked-dirs.test.ts holds what podman's vfs driver and umoci
// made of each; scripts/symlink-cases.ts rebuilds that from these specs with both tools.

import type { LayerSpec } from './layer';
import type { FileSpec } from './tar-writer';

export interface SymlinkCase {
  name: string;
  layers: LayerSpec[];
}

const dir = (path: string): FileSpec => ({ path, type: 'dir', mode: 0o755 });
const file = (path: string, content = path): FileSpec => ({ path, content, mode: 0o644 });
const link = (path: string, linkname: string): FileSpec => ({ path, type: 'symlink', linkname });
const whiteout = (path: string): FileSpec => file(path, '');
const step = (createdBy: string, ...files: FileSpec[]): LayerSpec => ({ createdBy, files, raw: true, compression: 'none' });

/** real/ holding f and keep, and `link -> real`: the lower layer of most cases. */
const BASE = step('base', dir('real'), file('real/f'), file('real/keep'), link('link', 'real'));

export const SYMLINK_CASES: SymlinkCase[] = [
  { name: 'whiteout through a symlink', layers: [BASE, step('rm link/f', whiteout('link/.wh.f'))] },
  { name: 'write through a symlink', layers: [BASE, step('add link/g', file('link/g'))] },
  {
    name: 'absolute symlink, resolved inside the root',
    layers: [
      step('base', dir('real'), file('real/f'), file('real/keep'), link('abs', '/real')),
      step('rm and add', whiteout('abs/.wh.f'), file('abs/h')),
    ],
  },
  {
    name: 'symlink climbing above the root',
    layers: [
      step('base', dir('real'), file('real/f'), file('real/keep'), link('up', '../../..')),
      step('through up', whiteout('up/real/.wh.f'), file('up/top')),
    ],
  },
  {
    name: 'chain of symlinks',
    layers: [
      step('base', dir('real'), file('real/f'), file('real/keep'), link('b', 'real'), link('a', 'b')),
      step('through a', whiteout('a/.wh.keep'), file('a/n')),
    ],
  },
  {
    name: 'missing directory below a symlink',
    layers: [
      step('base', dir('usr'), dir('usr/lib'), file('usr/lib/x'), link('lib', 'usr/lib')),
      step('add lib/sub/y', file('lib/sub/y')),
    ],
  },
  {
    name: 'relative symlink inside a directory',
    layers: [
      step('base', dir('a'), dir('a/real'), file('a/real/f'), file('a/real/keep'), link('a/l', 'real')),
      step('rm a/l/f', whiteout('a/l/.wh.f')),
    ],
  },
  {
    name: 'opaque directory through a symlink',
    layers: [BASE, step('opaque link', whiteout('link/.wh..wh..opq'), file('link/new'))],
  },
  { name: 'symlink replaced by a directory', layers: [BASE, step('mkdir link', dir('link'), file('link/z'))] },
  { name: 'whiteout of the symlink itself', layers: [BASE, step('rm link', whiteout('.wh.link'))] },
];
