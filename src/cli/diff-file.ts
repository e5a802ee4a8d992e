// `strata compare A B --diff PATH`: one file's two versions as the hunks of `diff -u`, read and
// diffed by the core the page's compare mode uses (core/contents: readFileContent, lineDiff), up
// to DIFF_BYTES of each side. A side without the file is /dev/null, as git prints it; binary files
// say how they differ. On a terminal, control characters in the lines are shown escaped (\x1b),
// so a hostile file cannot move the cursor or retitle the window.

import { FINAL, type MergedImage } from '../core/merge';
import { layerBytesOf, readFileContent, type FileContent } from '../core/contents';
import { DIFF_BYTES, lineDiff, unifiedHunks } from '../core/contents/line-diff';
import { decodeText } from '../core/contents/text-lines';
import type { ArchiveResult, LoadedImage } from '../core/pipeline/read-archive';
import { formatBytes } from '../core/format';

export interface DiffSide {
  /** As the user named it (`v1.tar`, `registry.example.com/app:1`). */
  name: string;
  result: ArchiveResult;
  image: LoadedImage;
  merged: MergedImage;
}

export interface DiffOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Sniffed types shown as text (as the page's diff). */
const AS_TEXT = new Set(['text', 'shebang-script', 'empty']);

/** Whether the two versions differ, after printing their diff; throws a ContentError when a side cannot be read. */
export async function diffFile(a: DiffSide, b: DiffSide, path: string, out: DiffOutput, note: (line: string) => void): Promise<{ differ: boolean }> {
  const bare = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const [ca, cb] = [await readSide(a, bare), await readSide(b, bare)];
  if (!ca && !cb) throw new DiffError(`/${bare}: no such file in ${a.name} or in ${b.name}`);
  const show = out.isTTY ? visibleControls : (s: string) => s;
  const label = (side: DiffSide, c: FileContent | undefined) => (c ? `${side.name}:/${bare}` : '/dev/null');

  const link = (c?: FileContent) => c?.symlinkTarget;
  if (link(ca) !== undefined || link(cb) !== undefined) {
    const ta = ca ? (link(ca) !== undefined ? `a symlink to ${link(ca)}` : `a ${formatBytes(ca.size)} file`) : 'absent';
    const tb = cb ? (link(cb) !== undefined ? `a symlink to ${link(cb)}` : `a ${formatBytes(cb.size)} file`) : 'absent';
    if (ta === tb) return { differ: false };
    out.write(show(`/${bare}: ${ta} in ${a.name}, ${tb} in ${b.name}`) + '\n');
    return { differ: true };
  }
  const text = (!ca || AS_TEXT.has(ca.type)) && (!cb || AS_TEXT.has(cb.type));
  if (!text) {
    if (ca && cb && ca.sha256 && ca.sha256 === cb.sha256) return { differ: false };
    const sums = ca?.sha256 && cb?.sha256 ? `, sha256 ${ca.sha256.slice(7, 19)}… → ${cb.sha256.slice(7, 19)}…` : '';
    out.write(show(`Binary files ${label(a, ca)} and ${label(b, cb)} differ (${ca ? `${ca.type}, ${formatBytes(ca.size)}` : 'absent'} → ${cb ? `${cb.type}, ${formatBytes(cb.size)}` : 'absent'}${sums})`) + '\n');
    return { differ: true };
  }
  const decode = (c?: FileContent) => (c ? decodeText(c.bytes, c.encoding, c.bytes.length >= c.size).text : '');
  const diff = lineDiff(decode(ca), decode(cb));
  const cut = [ca, cb].some((c) => c && c.bytes.length < c.size);
  if (cut) note(`/${bare} is larger than ${formatBytes(DIFF_BYTES)}: the diff covers the first ${formatBytes(DIFF_BYTES)} of each version`);
  if (!diff) {
    note(`the two versions of /${bare} differ in too many lines for a line diff`);
    return { differ: true };
  }
  const same = diff.added === 0 && diff.removed === 0;
  if (same && ca && cb) {
    const differ = ca.size !== cb.size || ca.sha256 !== cb.sha256;
    if (differ && !cut) note(`the two versions of /${bare} have the same lines but not the same bytes (line endings or encoding)`);
    return { differ };
  }
  // An empty file added or removed has no hunk: its headers say so.
  out.write([`--- ${label(a, ca)}`, `+++ ${label(b, cb)}`, ...unifiedHunks(diff.rows)].map(show).join('\n') + '\n');
  return { differ: true };
}

export class DiffError extends Error {}

async function readSide(side: DiffSide, bare: string): Promise<FileContent | undefined> {
  const node = side.merged.findPath(bare);
  if (node <= 0 || !side.merged.isVisible(node, FINAL)) return undefined;
  return readFileContent(side.merged, FINAL, bare, 0, DIFF_BYTES, { layerBytes: layerBytesOf(side.result, side.image) });
}

/** Control characters a terminal would act on, as `\xNN` (tab stays); bidi controls as `\u{...}`. */
export function visibleControls(line: string): string {
  return line.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
