// Layer indexes written as short lines, for tests and benchmarks of the merge:
//   'f path size [#hash] [m=0644] [t=mtime] [u=uid]'  regular file (hash: any number naming content)
//   'd path [m=0755] [t=mtime]'                      directory
//   'l path -> target'                               symlink
//   'h path -> target'                               hard link
//   'wh path'                                        whiteout of path (the `.wh.` marker)
//   'opq dir'                                        opaque marker of dir (`.wh..wh..opq`)

import { EntryKind } from '../types';
import { LayerIndexBuilder, type LayerIndex } from '../index/layer-index';

const KINDS: Record<string, EntryKind> = {
  f: EntryKind.file, d: EntryKind.dir, l: EntryKind.symlink, h: EntryKind.hardlink,
  wh: EntryKind.whiteout, opq: EntryKind.opaque,
};

export function layer(...lines: string[]): LayerIndex {
  const b = new LayerIndexBuilder();
  for (const line of lines) {
    const [head, target] = line.split(' -> ');
    const [k, path, ...rest] = head!.trim().split(/\s+/);
    const kind = KINDS[k!];
    if (kind === undefined || path === undefined) throw new Error(`bad layer line: ${line}`);
    const opt = (key: string, dflt: number) => {
      const v = rest.find((r) => r.startsWith(`${key}=`));
      return v === undefined ? dflt : Number.parseInt(v.slice(key.length + 1), key === 'm' ? 8 : 10);
    };
    const size = kind === EntryKind.file ? Number(rest[0] ?? 0) : 0;
    const i = b.add({
      path, kind, size,
      mode: opt('m', kind === EntryKind.dir ? 0o755 : 0o644),
      uid: opt('u', 0), gid: 0, mtime: opt('t', 0),
      link: target,
    });
    const hash = rest.find((r) => r.startsWith('#'));
    if (hash !== undefined) b.setHash(i, 0, Number(hash.slice(1)));
  }
  return b.finish();
}
