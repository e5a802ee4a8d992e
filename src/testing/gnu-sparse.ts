// Sparse files as GNU tar writes them (`tar --sparse`, GNU tar manual "Storing Sparse Files"): files
// with holes made on disk (written at offsets, then truncated: seeks, no writes, so the file system
// keeps holes), archived by the real GNU tar in each of its sparse formats. Node-only, for tests.

import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const MiB = 1 << 20;

/** Non-zero data, so a segment put in the wrong place shows. */
export const sparsePattern = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => 1 + ((i * 7 + seed * 13) % 251));

/** [path, real size, data pieces at offsets]: the rest of each file is holes. */
export const SPARSE_FILES: [string, number, [number, Uint8Array][]][] = [
  ['sparse/holes.bin', 3 * MiB + 100, [[MiB + 123, sparsePattern(5000, 1)], [3 * MiB, sparsePattern(100, 2)]]],
  ['sparse/data-first.bin', 2 * MiB, [[0, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, ...sparsePattern(8188, 3)])]]],
  ['sparse/all-hole.bin', MiB, []],
  // Larger than contents' WHOLE_FILE_LIMIT (16 MiB), with little data.
  ['sparse/big.bin', 20 * MiB, [[0, sparsePattern(4096, 4)], [18 * MiB - 1000, sparsePattern(70_000, 5)]]],
];

/** GNU tar's options for each sparse format it writes. */
export const GNU_SPARSE_FORMATS = [
  ['old GNU', ['--format=gnu']],
  ['PAX 0.0', ['--format=posix', '--sparse-version=0.0']],
  ['PAX 0.1', ['--format=posix', '--sparse-version=0.1']],
  ['PAX 1.0', ['--format=posix', '--sparse-version=1.0']],
] as const;

/** Writes SPARSE_FILES with their holes under `dir`. */
export function writeSparseFiles(dir: string): void {
  for (const [path, size, pieces] of SPARSE_FILES) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    const fd = openSync(join(dir, path), 'w');
    for (const [at, bytes] of pieces) writeSync(fd, bytes, 0, bytes.length, at);
    ftruncateSync(fd, size);
    closeSync(fd);
  }
}

/** GNU tar's sparse archive of SPARSE_FILES (written under `dir` first) in the given format. */
export function gnuSparseTar(dir: string, format: readonly string[]): Uint8Array {
  const out = execFileSync('tar', ['--sparse', ...format, '--owner=0', '--group=0', '--numeric-owner', '--mtime=@1714564800', '-C', dir, '-cf', '-', ...SPARSE_FILES.map(([p]) => p)], { maxBuffer: 256 * MiB });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

const extractions = new WeakMap<Uint8Array, string>();

/** Where GNU tar extracted `tar` (once, under `dir`; sparse files with their holes). */
export function gnuExtractedDir(dir: string, tar: Uint8Array): string {
  let out = extractions.get(tar);
  if (!out) {
    out = join(dir, `x-${Math.random().toString(36).slice(2)}`);
    mkdirSync(out);
    execFileSync('tar', ['-xf', '-', '-C', out], { input: tar, maxBuffer: 256 * MiB, stdio: ['pipe', 'ignore', 'ignore'] });
    extractions.set(tar, out);
  }
  return out;
}

/** What GNU tar extracts of `path` from `tar`. */
export async function gnuExtracted(dir: string, tar: Uint8Array, path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(gnuExtractedDir(dir, tar), path)));
}
