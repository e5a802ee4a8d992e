// Test helper: ask GNU tar (not tar-stream, which wrote the bytes) what an archive holds.

import { spawnSync } from 'node:child_process';

function runTar(args: string[], input: Uint8Array): Buffer {
  const r = spawnSync('tar', args, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`tar ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

export type TarFilter = 'gzip' | 'zstd';

function filterArgs(filter?: TarFilter): string[] {
  return filter === 'gzip' ? ['-z'] : filter === 'zstd' ? ['--zstd'] : [];
}

/** Entry names in archive order, as `tar -tf` prints them. */
export function listNames(archive: Uint8Array, filter?: TarFilter): string[] {
  return runTar(['-t', ...filterArgs(filter), '-f', '-'], archive).toString('utf8').split('\n').filter(Boolean);
}

export interface VerboseEntry {
  /** First letter of the mode column: - d l h c b p. */
  kind: string;
  perms: string;
  owner: string;
  size: string;
  name: string;
  /** Symlink or hard link target. */
  target?: string;
}

/** `tar -tvf` parsed: enough to check types, modes, owners and link targets. */
export function listVerbose(archive: Uint8Array, filter?: TarFilter): VerboseEntry[] {
  const out = runTar(['-tv', '--numeric-owner', '--utc', ...filterArgs(filter), '-f', '-'], archive).toString('utf8');
  return out.split('\n').filter(Boolean).map((line) => {
    const m = /^(\S)(\S{9})\s+(\S+)\s+(\S+)\s+\S+\s+\S+\s+(.*)$/.exec(line);
    if (!m) throw new Error(`unparsed tar -tv line: ${line}`);
    const [, kind, perms, owner, size, rest] = m as unknown as string[];
    const link = / -> | link to /.exec(rest!);
    const name = link ? rest!.slice(0, link.index) : rest!;
    const target = link ? rest!.slice(link.index + link[0].length) : undefined;
    return { kind: kind!, perms: perms!, owner: owner!, size: size!, name, ...(target !== undefined ? { target } : {}) };
  });
}

/** The content of one member, extracted by GNU tar to stdout. */
export function readMember(archive: Uint8Array, name: string, filter?: TarFilter): Uint8Array {
  return new Uint8Array(runTar(['-xO', ...filterArgs(filter), '-f', '-', name], archive));
}

export function readJson<T = unknown>(archive: Uint8Array, name: string): T {
  return JSON.parse(Buffer.from(readMember(archive, name)).toString('utf8')) as T;
}
