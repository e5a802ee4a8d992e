// A layer entry's directory is found through the image's own symlinks, as the appliers that write
// into one shared rootfs do: containers/storage (podman's vfs driver) extracts in a chroot of the
// rootfs and umoci resolves with securejoin, so `link/g` over `link -> real` lands in `real/g` and
// `link/.wh.f` removes `real/f` (src/testing/symlink-layers.ts, with what both tools did in
// symlinked-dirs.test.ts). A target is resolved inside the root: an absolute one starts at the
// root and `..` at the root stays there (securejoin's rule, and a chroot's). An overlay driver
// unpacks each layer into an empty directory instead, so it differs: the merge warns.

import type { Warning } from '../types';
import { ROOT, type NodeTable } from './node-table';

/** Linux's MAXSYMLINKS: a path through more symlinks fails with ELOOP in the kernel. */
export const MAX_SYMLINK_HOPS = 40;

export interface LinkView {
  nodes: NodeTable;
  /** True when the node is a symlink for the entry being applied. */
  isSymlink(node: number): boolean;
  /** The target of the symlink at `node`, as written. */
  targetOf(node: number): string;
}

const encoder = new TextEncoder();

/**
 * The directory reached by following the symlink at `link` and then the components of `rest`
 * (slash-separated, may be ''). Every component that is a symlink is followed too; missing ones
 * are created as nodes (the runtime creates them as directories). -1 after MAX_SYMLINK_HOPS.
 */
export function followLinks(view: LinkView, link: number, rest: string): number {
  const { nodes } = view;
  // Components still to walk, last one first (so the next is a pop away).
  const pending = rest === '' ? [] : rest.split('/').reverse();
  let cur = nodes.parent[link]!;
  let hops = 0;
  let next: number = link;
  for (;;) {
    if (next >= 0) {
      if (!view.isSymlink(next)) {
        cur = next;
      } else {
        if (++hops > MAX_SYMLINK_HOPS) return -1;
        const target = view.targetOf(next);
        if (target.startsWith('/')) cur = ROOT;
        const parts = target.split('/');
        for (let j = parts.length - 1; j >= 0; j--) pending.push(parts[j]!);
      }
    }
    const name = pending.pop();
    if (name === undefined) return cur;
    next = -1;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      if (cur !== ROOT) cur = nodes.parent[cur]!;
      continue;
    }
    const bytes = encoder.encode(name);
    next = nodes.child(cur, bytes, 0, bytes.length, true);
  }
}

/** Per layer: entries whose directory was reached through a symlink, and those that looped. */
export interface LinkTally { through: number; looped: number; first: string; firstLoop: string }

/** One warning per layer and kind, naming the first entry: a layer may hold thousands. */
export function linkWarnings(layer: number, t: LinkTally): Warning[] {
  const out: Warning[] = [];
  if (t.through > 0) {
    out.push({
      code: 'layer-path-through-symlink', layer,
      message: `layer ${layer}: ${t.through} entr${t.through === 1 ? 'y is' : 'ies are'} under a directory a lower layer made a symlink (first: ${t.first}): applied through the symlink, inside the root, as podman's vfs driver (containers/storage) and umoci do; an overlay driver unpacks each layer on its own and would show a directory there instead`,
    });
  }
  if (t.looped > 0) {
    out.push({
      code: 'layer-symlink-loop', layer,
      message: `layer ${layer}: ${t.looped} entr${t.looped === 1 ? 'y has' : 'ies have'} a directory behind more than ${MAX_SYMLINK_HOPS} symlinks (first: ${t.firstLoop}): kept at the path as written; a runtime would refuse the layer (ELOOP)`,
    });
  }
  return out;
}
