// Turning what the user typed into a loaded image: `v1.tar`, `both.tar#1` (an image by position),
// `both.tar#app:2.0` (by tag), or an image reference (`registry.example.com/app:2`) pulled from its
// registry as `npm run analyze` pulls it (registry-image.ts). Each resolves to an ArchiveResult and
// an image index. The same archive or reference named twice is read once.

import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { readArchive, type ArchiveResult } from '../core/pipeline/read-archive';
import { FileByteSource } from './file-source';
import { quoteForTerminal } from '../core/format';
import { looksLikePath, readRegistryImage } from './registry-image';

export interface InputSpec {
  /** As typed: a path, optionally with `#N` or `#tag`. */
  text: string;
  /** `--image-a` / `--image-b`: a position or a tag; wins over a `#` suffix. */
  image?: string;
}

export interface ResolvedInput {
  /** The name shown in reports: the file name, with `#N` when the archive holds several images. */
  name: string;
  result: ArchiveResult;
  index: number;
}

/** An input that cannot be read or does not name one image: the CLI exits 2 with this message. */
export class InputError extends Error {}

export interface ReadOptions {
  platform?: string;
  verify: boolean;
  /** Keep archive files open after the first pass, for reading files' contents (`--diff`). */
  keepOpen?: boolean;
}

export class InputReader {
  private readonly cache = new Map<string, Promise<ArchiveResult>>();

  constructor(private readonly opts: ReadOptions) {}

  /** The archive behind a spec and the image selector it carries (undefined: not chosen). */
  async open(spec: InputSpec): Promise<{ path: string; result: ArchiveResult; selector?: string }> {
    const split = await splitSpec(spec.text);
    if (!split) return { path: spec.text, result: await this.read(`ref:${spec.text}`, () => this.pull(spec.text)), selector: spec.image };
    const { path, selector } = split;
    const result = await this.read(resolve(path), () => this.readFile(path));
    return { path, result, selector: spec.image ?? selector };
  }

  private read(key: string, load: () => Promise<ArchiveResult>): Promise<ArchiveResult> {
    let p = this.cache.get(key);
    if (!p) {
      p = load().catch((e: unknown) => { throw e instanceof InputError ? e : new InputError(e instanceof Error ? e.message : String(e)); });
      this.cache.set(key, p);
    }
    return p;
  }

  private async pull(reference: string): Promise<ArchiveResult> {
    const r = await readRegistryImage(reference, {
      verify: this.opts.verify,
      ...(this.opts.platform ? { platform: this.opts.platform } : {}),
      note: (line) => process.stderr.write(`${quoteForTerminal(line)}\n`),
    });
    if (typeof r === 'string') throw new InputError(quoteForTerminal(r));
    return r;
  }

  private async readFile(path: string): Promise<ArchiveResult> {
    const file = await FileByteSource.open(path);
    const opts = { name: basename(path), verify: this.opts.verify, ...(this.opts.platform ? { platform: this.opts.platform } : {}) };
    return readArchive(file, opts).finally(() => { if (!this.opts.keepOpen) file.dispose(); });
  }
}

/**
 * `file.tar#2`: the suffix is a selector only when the whole text is not itself a file. Undefined:
 * not a file and not shaped like a path, so an image reference.
 */
async function splitSpec(text: string): Promise<{ path: string; selector?: string } | undefined> {
  if (await isFile(text)) return { path: text };
  const hash = text.lastIndexOf('#');
  if (hash > 0 && (await isFile(text.slice(0, hash)))) return { path: text.slice(0, hash), selector: text.slice(hash + 1) };
  if (!looksLikePath(text) && !text.includes('#')) return undefined;
  throw new InputError(`${quoteForTerminal(text)}: no such file`);
}

async function isFile(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isFile() ?? false;
}

/** The image a selector names: a position (`1`) or a tag (`app:2.0`, `app` meaning `app:latest`). */
export function pickImage(result: ArchiveResult, path: string, selector: string | undefined, fallback: number | undefined): ResolvedInput {
  const images = result.summary.images;
  const list = () => images.map((img, i) => `${i}: ${quoteForTerminal(img.tags.join(', ') || img.id.slice(0, 19))}`).join('; ');
  let index: number;
  if (selector === undefined) {
    if (images.length === 1) index = 0;
    else if (fallback !== undefined && images.length === 2) index = fallback;
    else throw new InputError(`${quoteForTerminal(path)} holds ${images.length} images: pick one with ${quoteForTerminal(basename(path))}#N or --image-a/--image-b N (${list()})`);
  } else if (/^\d+$/.test(selector)) {
    index = Number(selector);
    if (index >= images.length) throw new InputError(`${quoteForTerminal(path)}#${selector}: the archive holds ${images.length} image(s), numbered from 0 (${list()})`);
  } else {
    const want = selector.includes(':') ? selector : `${selector}:latest`;
    index = images.findIndex((img) => img.tags.some((t) => t === selector || t === want || t.endsWith(`/${want}`)));
    if (index < 0) throw new InputError(`${quoteForTerminal(path)}#${quoteForTerminal(selector)}: no image has that tag (${list()})`);
  }
  const name = images.length > 1 ? `${basename(path)}#${index}` : basename(path);
  return { name, result, index };
}
