// The baseline users know: GNU tar listing each layer, after gzip/zstd, all layers at once up to
// one per core; and the same with sha256sum of the stored blob and of the uncompressed stream (what
// a digest check costs natively). Timed from the first spawn to the last exit.

import { closeSync, openSync, readSync } from 'node:fs';
import os from 'node:os';
import { parallel, shell } from './synth/build';

export type Compression = 'none' | 'gzip' | 'zstd';

export interface NativeLayer {
  /** The stored blob (uncompressed tar, gzip or zstd). */
  path: string;
  compression: Compression;
}

export type NativeVariant = 'list' | 'verify';

const DECODE: Record<Compression, string> = { none: '', gzip: 'gzip -dc', zstd: 'zstd -dc' };

export function nativeCommand(file: string, compression: Compression, variant: NativeVariant): string {
  const q = `'${file.replace(/'/g, `'\\''`)}'`;
  const decode = DECODE[compression];
  if (variant === 'list') return decode ? `${decode} ${q} | tar -t > /dev/null` : `tar -tf ${q} > /dev/null`;
  // Uncompressed: the blob is the tar, so one sha256 is both the manifest digest and the diff_id.
  if (!decode) return `tee >(sha256sum > /dev/null) < ${q} | tar -t > /dev/null`;
  return `tee >(sha256sum > /dev/null) < ${q} | ${decode} | tee >(sha256sum > /dev/null) | tar -t > /dev/null`;
}

export async function timeNative(layers: NativeLayer[], variant: NativeVariant): Promise<number> {
  const started = process.hrtime.bigint();
  await parallel(layers.map((l) => () => shell(nativeCommand(l.path, l.compression, variant))), os.cpus().length);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Reads every file once so that the first timed run does not pay for the disk. */
export async function warmCache(files: string[]): Promise<void> {
  for (const f of files) await shell(`cat '${f.replace(/'/g, `'\\''`)}' > /dev/null`);
}

export function sniffFile(file: string): Compression {
  const fd = openSync(file, 'r');
  const b = Buffer.alloc(4);
  readSync(fd, b, 0, 4, 0);
  closeSync(fd);
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}
