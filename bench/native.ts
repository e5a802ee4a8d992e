// The baseline users know: GNU tar listing each layer, after gzip/zstd, all layers at once up to
// one per core; and the same with sha256sum of the stored blob and of the uncompressed stream (what
// a digest check costs natively). Timed from the first spawn to the last exit.

import { spawn } from 'node:child_process';
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
  // The hashers read named pipes as background jobs rather than >(...) so that bash waits for them
  // and `times` counts their CPU.
  const fifo = 'd=$(mktemp -d); mkfifo "$d/a" "$d/b"; sha256sum < "$d/a" > /dev/null & ';
  if (!decode) return `${fifo}tee "$d/a" < ${q} | tar -t > /dev/null; wait; rm -r "$d"`;
  return `${fifo}sha256sum < "$d/b" > /dev/null & tee "$d/a" < ${q} | ${decode} | tee "$d/b" | tar -t > /dev/null; wait; rm -r "$d"`;
}

/** Runs `cmd` in bash and returns the user+sys CPU seconds of everything it waited for. */
function shellCpu(cmd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-c', `set -o pipefail; ${cmd}; times`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code !== 0) { reject(new Error(`${cmd}: exit ${code}`)); return; }
      // `times`: the shell's user/sys, then its children's, as e.g. "0m3.796s 0m0.833s".
      const children = out.trim().split('\n').at(-1) ?? '';
      const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((n, m) => n + Number(m[1]) * 60 + Number(m[2]), 0);
      resolve(secs);
    });
  });
}

export async function timeNative(layers: NativeLayer[], variant: NativeVariant): Promise<{ seconds: number; cpuSeconds: number }> {
  const started = process.hrtime.bigint();
  const cpu = await parallel(layers.map((l) => () => shellCpu(nativeCommand(l.path, l.compression, variant))), os.cpus().length);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: cpu.reduce((a, b) => a + b, 0) };
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
