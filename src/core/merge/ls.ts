// `--ls`: the merged filesystem one entry a line, like `tar -tv` of what a container would see:
//   <type> <size> <mode> <path>[ -> <target>]
// type is the entry kind's letter (`h` for a hard link, which `ls -l` would show as `-`); size is
// in bytes (a hard link shows its target's); mode is `ls -l` style. Order: parents before their
// contents, siblings by name compared bytewise (C locale). Names and link targets are quoted as
// `tar --quoting-style=escape` quotes them (format.ts quoteForTerminal): an image's names never
// reach a terminal raw, and a newline in one cannot split a line.

import { EntryKind, KIND_LETTER } from '../types';
import { formatMode, quoteForTerminal } from '../format';
import { entryLink } from '../index/layer-index';
import { IMPLIED_DIR_MODE } from './entry-compare';
import { FINAL, type MergedImage, type View } from './merged-image';
import { ROOT } from './node-table';

const LS_TYPE: Partial<Record<EntryKind, string>> = {
  [EntryKind.dir]: 'd', [EntryKind.symlink]: 'l', [EntryKind.charDevice]: 'c',
  [EntryKind.blockDevice]: 'b', [EntryKind.fifo]: 'p',
};

/** `ls -l` mode string: type character, then core/format.ts's rwx triplets. */
function formatLsMode(kind: EntryKind, mode: number): string {
  return (LS_TYPE[kind] ?? '-') + formatMode(mode);
}

/** One line per visible entry of the view (final by default). */
export function* formatLs(merged: MergedImage, view: View = FINAL): Generator<string> {
  // A removed path is listed in its layer's own view as it was before the removal.
  const before: View = { mode: 'upTo', layer: view.layer - 1 };
  // Siblings come together: build each path from its parent's, decoded once.
  let dir = -1;
  let dirPath = '';
  for (const node of merged.listAll(view)) {
    const parent = merged.nodes.parent[node]!;
    if (parent !== dir) {
      dir = parent;
      dirPath = parent === ROOT ? '' : `${merged.path(parent)}/`;
    }
    let w = merged.visibleWrite(node, view);
    if (w < 0 && view.mode === 'layerOnly' && view.layer > 0) w = merged.visibleWrite(node, before);
    if (w < 0) continue;
    yield lsLine(merged, w, `${dirPath}${merged.nodes.name(node)}`);
  }
}

function lsLine(merged: MergedImage, w: number, path: string): string {
  const e = merged.events.entry[w]!;
  if (e < 0) return `d 0 ${formatLsMode(EntryKind.dir, IMPLIED_DIR_MODE)} ${quoteForTerminal(path)}`;
  const x = merged.layers[merged.events.layer[w]!]!;
  const kind = x.kind[e]! as EntryKind;
  const size = kind === EntryKind.file || kind === EntryKind.hardlink ? merged.events.bytes[w]! : 0;
  const link = kind === EntryKind.symlink || kind === EntryKind.hardlink ? entryLink(x, e) : undefined;
  return `${KIND_LETTER[kind]} ${size} ${formatLsMode(kind, x.mode[e]!)} ${quoteForTerminal(path)}${link === undefined ? '' : ` -> ${quoteForTerminal(link)}`}`;
}
