// Deterministic compression for fixtures. gzip goes through pako (pure JS, so the bytes do not
// depend on the machine's zlib build) with its default header: MTIME 0, no name, OS 3 (RFC 1952).
// zstd goes through the `zstd` CLI, single-threaded so the frame layout does not depend on cores.

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

interface Pako {
  gzip(data: Uint8Array, options?: { level?: number }): Uint8Array;
}

const pako = createRequire(import.meta.url)('pako') as Pako;

export function gzip(data: Uint8Array): Uint8Array {
  return pako.gzip(data, { level: 6 });
}

let zstdChecked = false;

function assertZstdCli(): void {
  if (zstdChecked) return;
  try {
    execFileSync('zstd', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error(
      'zstd compression needs the `zstd` command-line tool on PATH (Debian/Ubuntu: apt-get install zstd).',
    );
  }
  zstdChecked = true;
}

export function zstd(data: Uint8Array): Uint8Array {
  assertZstdCli();
  const out = execFileSync('zstd', ['-q', '-c', '-3', '--single-thread', '--no-progress'], {
    input: data,
    maxBuffer: 1 << 30,
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Outer compression around a whole archive, as in `docker save img | gzip > img.tar.gz`. */
export function wrap(archive: Uint8Array, how: 'gzip' | 'zstd'): Uint8Array {
  return how === 'gzip' ? gzip(archive) : zstd(archive);
}
