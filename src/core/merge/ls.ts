// `--ls`: the merged filesystem one entry a line, like `tar -tv` of what a container would see:
//   <type> <size> <mode> <path>[ -> <target>]
// type is the entry kind's letter (`h` for a hard link, which `ls -l` would show as `-`); size is
// in bytes (a hard link shows its target's); mode is `ls -l` style. Order: parents before their
// contents, siblings by name compared bytewise (C locale).

import { EntryKind, KIND_LETTER } from '../types';
import { FINAL, type MergedImage, type View } from './merged-image';

const LS_TYPE: Partial<Record<EntryKind, string>> = {
  [EntryKind.dir]: 'd', [EntryKind.symlink]: 'l', [EntryKind.charDevice]: 'c',
  [EntryKind.blockDevice]: 'b', [EntryKind.fifo]: 'p',
};

/** `ls -l` mode string: type character, then rwx triplets with setuid/setgid/sticky folded in. */
export function formatMode(kind: EntryKind, mode: number): string {
  const bit = (mask: number, ch: string) => (mode & mask ? ch : '-');
  const special = (exec: number, flag: number, set: string, unset: string) =>
    mode & flag ? (mode & exec ? set : unset) : bit(exec, 'x');
  return (
    (LS_TYPE[kind] ?? '-') +
    bit(0o400, 'r') + bit(0o200, 'w') + special(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') + bit(0o020, 'w') + special(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') + bit(0o002, 'w') + special(0o001, 0o1000, 't', 'T')
  );
}

/** One line per visible entry of the view (final by default). */
export function* formatLs(merged: MergedImage, view: View = FINAL): Generator<string> {
  for (const node of merged.listAll(view)) {
    const info = merged.nodeInfo(node, view);
    if (!info) continue;
    const link = info.link !== undefined && (info.kind === EntryKind.symlink || info.kind === EntryKind.hardlink)
      ? ` -> ${info.link}` : '';
    yield `${KIND_LETTER[info.kind]} ${info.size} ${formatMode(info.kind, info.mode)} ${info.path}${link}`;
  }
}
