// What reading one file of an image asks and answers: the `fileContent` engine query and the CLI's
// `--cat` share these. Plain data, safe to post between threads.

import type { ImageId } from '../types';
import type { View } from '../merge';

/** A window of one file's bytes, as the details pane, a download or a diff asks for it. */
export interface FileContentRequest {
  imageId: ImageId;
  /** The view the path is seen in (as the `details` query): `final`, `upTo N` or `layerOnly N`. */
  view: View;
  /** Bare path (`etc/os-release`), as the tree names it. */
  path: string;
  /** First byte wanted, and how many (clamped to the file's size). */
  offset: number;
  length: number;
}

/**
 * How the bytes were reached, from cheapest to dearest:
 * - `range`: an uncompressed layer, one range read at the entry's data offset;
 * - `estargz-toc`: an estargz layer, the gzip member(s) of just the file's chunks that its TOC
 *   names, decoded from their start (estargz-toc.ts);
 * - `gzip-member`: a gzip member that starts at or before the entry (a member boundary recorded in
 *   the first pass), decoded from its start;
 * - `zstd-frame`: a zstd layer restarted at the frame that holds the entry;
 * - `gzip-checkpoint`: a gzip layer restarted mid-stream at a deflate checkpoint (the 32 KiB window
 *   and bit offset at a block boundary, as zlib's zran) that an earlier read of the layer recorded
 *   (gzip-checkpoints.ts);
 * - `rescan`: the layer decoded from its start (no restart point before the entry: a single-stream
 *   gzip layer read for the first time, or a file in its first member or frame), with progress,
 *   and cancelled by the signal. A gzip rescan records checkpoints for the reads after it.
 */
export type ContentHow = 'range' | 'gzip-member' | 'zstd-frame' | 'rescan' | 'estargz-toc' | 'gzip-checkpoint';

/** What the first bytes of the file say it is (never its name). */
export type ContentType =
  | 'empty' | 'text' | 'binary'
  | 'elf' | 'mach-o' | 'pe' | 'wasm' | 'python-bytecode' | 'java-class' | 'shebang-script'
  | 'gzip' | 'zstd' | 'xz' | 'bzip2' | 'zip' | 'tar' | '7z'
  | 'png' | 'jpeg' | 'gif' | 'webp' | 'svg' | 'ico' | 'bmp'
  | 'pdf' | 'sqlite';

/** Of a `text` file: how its bytes decode. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'other-8bit';

/**
 * What was checked of the bytes returned:
 * - `whole-file`: the whole body was read and matched the xxh64 the first pass recorded;
 * - `member-crc`: the gzip member(s) read were decoded to their end and their CRC32 matched;
 * - `frame-checksum`: the zstd frame(s) read were decoded to their end (with content checksums
 *   when the frames carry them);
 * - `chunk-digest`: an estargz layer read through its TOC: every chunk read matched its sha256 there;
 * - `none`: a part of a large file from an uncompressed layer (or a stream cut short before a
 *   member or frame ended): nothing vouches for these bytes beyond the tar headers.
 */
export type ContentCheck = 'whole-file' | 'member-crc' | 'frame-checksum' | 'chunk-digest' | 'none';

export interface FileContent {
  /** The path asked for. */
  path: string;
  /** The file's full size in bytes (a hard link: its target's). 0 for a symlink. */
  size: number;
  /** Where `bytes` start in the file. */
  offset: number;
  bytes: Uint8Array;
  /** Sniffed from the file's first bytes (whatever window was asked). */
  type: ContentType;
  /** For `text`: the encoding the bytes decode as. */
  encoding?: TextEncoding;
  /** `sha256:<hex>` of the whole file, when the whole body was read (files up to WHOLE_FILE_LIMIT). */
  sha256?: string;
  check: ContentCheck;
  how: ContentHow;
  /** Which layer's copy was read and its path there (a hard link: its target's path). */
  from: { layer: number; path: string };
  /** A symlink: its target as written; `bytes` is empty (the page follows it on click). */
  symlinkTarget?: string;
  /** A path the view's layer removed (a whiteout, layerOnly view): that layer; `bytes` are the lower copy. */
  removedBy?: number;
  /** What answering cost: stored (compressed) bytes read, decompressed bytes decoded and thrown away. */
  cost: { storedBytes: number; skippedBytes: number };
  /** Something the reader met and worked round (an estargz TOC it could not use, and why). */
  note?: string;
}

/** Progress of a long read (a rescan): decoded bytes so far of the bytes to get through. */
export interface ContentProgress { done: number; total: number }
