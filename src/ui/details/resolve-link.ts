// Where a symlink points, as the tree names paths, so the details pane can follow it on a click.

/**
 * The bare path a symlink at `path` with target `linkTarget` names: an absolute target from the
 * root, a relative one from the link's directory; '..' stops at the root, as it does in a
 * container (the kernel resolves '/..' to '/'). Only the link itself is resolved: the tree
 * follows any symlinked directories on the way when the path is opened. Null for an empty target.
 */
export function resolveLink(path: string, linkTarget: string): string | null {
  if (linkTarget === '') return null;
  const parts = linkTarget.startsWith('/') ? [] : path.split('/').slice(0, -1);
  for (const seg of linkTarget.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}
