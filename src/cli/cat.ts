// `--cat PATH`: one file of the image, its bytes raw on stdout (a pipe: `| less`, `> file`), read
// from its layer by core/contents as the page reads it. Binary, and text that holds terminal
// control characters (an escape sequence could retitle the window, rewrite the screen or worse), is
// not written to a terminal unless --force; names in messages are quoted.

import { FINAL, type View } from '../core/merge';
import { layerBytesOf, readFileContent, WHOLE_FILE_LIMIT } from '../core/contents';
import type { ArchiveResult } from '../core/pipeline/read-archive';
import type { ImageAnalysisResult } from '../core/analysis/analyse-image';
import { quoteForTerminal as q } from '../core/format';

export interface CatOptions {
  image: number;
  /** As of layer N (the filesystem had the image stopped there, as `--ls --layer N`). */
  layer?: number;
  /** Write binary to a terminal anyway. */
  force: boolean;
  out: { isTTY?: boolean; write(chunk: Uint8Array): boolean; once(event: 'drain' | 'close', cb: () => void): unknown };
  err: (line: string) => void;
}

/** Reads by this many bytes: a file of any size streams out without being held whole. */
const STEP = WHOLE_FILE_LIMIT;

export async function catFile(result: ArchiveResult, analysis: (k: number) => ImageAnalysisResult, path: string, opts: CatOptions): Promise<number> {
  const image = result.images[opts.image];
  if (!image) { opts.err(`--image ${opts.image}: the archive has ${result.images.length} image(s), numbered from 0`); return 1; }
  if (opts.layer !== undefined && !(Number.isInteger(opts.layer) && opts.layer >= 0 && opts.layer < image.layers.length)) {
    opts.err(`--layer ${opts.layer}: image ${opts.image} has ${image.layers.length} layers, numbered from 0`);
    return 1;
  }
  const view: View = opts.layer === undefined ? FINAL : { mode: 'upTo', layer: opts.layer };
  const bare = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const { merged } = analysis(opts.image);
  const layerBytes = layerBytesOf(result, image);
  let offset = 0;
  for (;;) {
    const got = await readFileContent(merged, view, bare, offset, STEP, { layerBytes });
    if (got.symlinkTarget !== undefined) {
      opts.err(`/${bare} is a symlink to ${got.symlinkTarget}; cat that path instead`);
      return 1;
    }
    if (offset === 0 && opts.out.isTTY && !opts.force && !isText(got.type)) {
      opts.err(`/${bare} is ${got.type} (${got.size} bytes): not written to a terminal; redirect it to a file or a pipe, or add --force`);
      return 1;
    }
    if (opts.out.isTTY && !opts.force) {
      const at = firstControl(got.bytes);
      if (at >= 0) {
        opts.err(`/${bare} holds a terminal control character (byte 0x${got.bytes[at]!.toString(16).padStart(2, '0')} at offset ${offset + at}): not written to a terminal; redirect it to a file or a pipe, or add --force`);
        return 1;
      }
    }
    // A reader that goes away (`| head`) closes the pipe: stop there, as cat does.
    let closed = false;
    if (got.bytes.length && !opts.out.write(got.bytes)) {
      await new Promise<void>((r) => { opts.out.once('drain', r); opts.out.once('close', () => { closed = true; r(); }); });
    }
    if (closed) return 0;
    offset += got.bytes.length;
    if (offset >= got.size || got.bytes.length === 0) return 0;
  }
}

/**
 * The first byte that a terminal would act on rather than print: C0 controls but tab, newline and
 * carriage return (ESC starts every escape sequence), DEL, and the C1 controls as UTF-8 (0xC2
 * 0x80-0x9F: CSI is 0x9B). -1 when there is none. A window is checked before any of it is written.
 */
export function firstControl(b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x20 ? c !== 0x09 && c !== 0x0a && c !== 0x0d : c === 0x7f) return i;
    if (c === 0xc2 && i + 1 < b.length && b[i + 1]! >= 0x80 && b[i + 1]! <= 0x9f) return i;
  }
  return -1;
}

const isText = (type: string): boolean => type === 'text' || type === 'shebang-script' || type === 'svg' || type === 'empty';

/** The message of a failed read, quoted for the terminal. */
export function catError(e: unknown): string {
  return q(e instanceof Error ? e.message : String(e));
}
