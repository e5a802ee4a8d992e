// The production tar writer, read back by GNU tar (another implementation) and by our own walkers.
import { describe, expect, it } from 'vitest';
import { listVerbose, readMember } from '../../testing/gnu-tar';
import { walkChunked } from './testing';
import { TAR_END_BLOCKS, tarHeader, tarPadding, type TarWriteEntry } from './tar-writer';

const enc = new TextEncoder();

function archive(entries: [TarWriteEntry, Uint8Array?][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [e, body] of entries) {
    parts.push(tarHeader(e));
    if (body) {
      // A body written in 3-byte chunks, as a streamed download writes it in reads.
      for (let i = 0; i < body.length; i += 3) parts.push(body.subarray(i, i + 3));
      parts.push(tarPadding(body.length));
    }
  }
  parts.push(TAR_END_BLOCKS);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const longDir = `${'d'.repeat(120)}/${'e'.repeat(60)}`;
const body = enc.encode('NAME="Debian GNU/Linux"\n');
const tarball = archive([
  [{ path: 'etc', type: 'dir', mode: 0o755, size: 0 }],
  [{ path: 'etc/os-release', type: 'file', mode: 0o644, size: body.length, mtime: 1714564800 }, body],
  [{ path: 'etc/link', type: 'symlink', mode: 0o777, size: 0, linkName: 'os-release' }],
  [{ path: 'etc/hard', type: 'hardlink', mode: 0o644, size: 0, linkName: 'etc/os-release' }],
  [{ path: `${longDir}/file.txt`, type: 'file', mode: 0o600, size: 2, uid: 1000, gid: 1000 }, enc.encode('hi')],
  [{ path: 'données/ünïcode.txt', type: 'file', mode: 0o644, size: 1 }, enc.encode('x')],
  [{ path: 'far', type: 'symlink', mode: 0o777, size: 0, linkName: `/${'t'.repeat(150)}` }],
  [{ path: 'dev/null', type: 'char', mode: 0o666, size: 0, devMajor: 1, devMinor: 3 }],
  [{ path: 'run/fifo', type: 'fifo', mode: 0o600, size: 0 }],
  [{ path: 'big-ids', type: 'file', mode: 0o644, size: 0, uid: 3_000_000, gid: 2_097_152 }],
]);

describe('tarHeader', () => {
  it('writes an archive GNU tar lists entry for entry, long, unicode and link names included', () => {
    expect(listVerbose(tarball)).toEqual([
      { kind: 'd', perms: 'rwxr-xr-x', owner: '0/0', size: '0', name: 'etc/' },
      { kind: '-', perms: 'rw-r--r--', owner: '0/0', size: '24', name: 'etc/os-release' },
      { kind: 'l', perms: 'rwxrwxrwx', owner: '0/0', size: '0', name: 'etc/link', target: 'os-release' },
      { kind: 'h', perms: 'rw-r--r--', owner: '0/0', size: '0', name: 'etc/hard', target: 'etc/os-release' },
      { kind: '-', perms: 'rw-------', owner: '1000/1000', size: '2', name: `${longDir}/file.txt` },
      { kind: '-', perms: 'rw-r--r--', owner: '0/0', size: '1', name: 'données/ünïcode.txt' },
      { kind: 'l', perms: 'rwxrwxrwx', owner: '0/0', size: '0', name: 'far', target: `/${'t'.repeat(150)}` },
      { kind: 'c', perms: 'rw-rw-rw-', owner: '0/0', size: '1,3', name: 'dev/null' },
      { kind: 'p', perms: 'rw-------', owner: '0/0', size: '0', name: 'run/fifo' },
      { kind: '-', perms: 'rw-r--r--', owner: '3000000/2097152', size: '0', name: 'big-ids' },
    ]);
  });

  it('carries bodies written in chunks, which GNU tar extracts byte for byte', () => {
    expect(new TextDecoder().decode(readMember(tarball, 'etc/os-release'))).toBe('NAME="Debian GNU/Linux"\n');
    expect(new TextDecoder().decode(readMember(tarball, `${longDir}/file.txt`))).toBe('hi');
  });

  it('is read back by our own walker with the same paths, types, sizes and mtime', () => {
    const w = walkChunked(tarball, 7, true);
    expect(w.warnings).toEqual([]);
    expect(w.entries.map((e) => [e.path, e.type, e.size])).toEqual([
      ['etc', 'dir', 0], ['etc/os-release', 'file', 24], ['etc/link', 'symlink', 0], ['etc/hard', 'hardlink', 0],
      [`${longDir}/file.txt`, 'file', 2], ['données/ünïcode.txt', 'file', 1], ['far', 'symlink', 0],
      ['dev/null', 'char', 0], ['run/fifo', 'fifo', 0], ['big-ids', 'file', 0],
    ]);
    expect(w.entries[1]!.mtime).toBe(1714564800);
    expect(new TextDecoder().decode(w.bodies.get('etc/os-release'))).toBe('NAME="Debian GNU/Linux"\n');
  });

  it('pads a header to whole blocks and refuses a body on a non-file', () => {
    expect(tarHeader({ path: 'a', type: 'file', mode: 0o644, size: 5 }).length).toBe(512);
    expect(tarPadding(5).length).toBe(507);
    expect(tarPadding(1024).length).toBe(0);
    expect(() => tarHeader({ path: 'd', type: 'dir', mode: 0o755, size: 3 })).toThrow('tar: a dir (d) has no body');
  });
});
