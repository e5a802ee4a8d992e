import { describe, expect, it } from 'vitest';
import { listNames, listVerbose, readMember } from './gnu-tar';
import { writeTar, writeTarEntries, concatBytes, TAR_END, type FileSpec } from './tar-writer';

const LONG_DIR = `${'deep/'.repeat(30)}`; // 150 bytes: needs the ustar prefix field
const NO_SPLIT = `${'x'.repeat(120)}.txt`; // one 124-byte component: only PAX can hold it

const EVERY_KIND: FileSpec[] = [
  { path: 'etc', type: 'dir' },
  { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/bash\n' },
  { path: 'etc/passwd.hard', type: 'hardlink', linkname: 'etc/passwd' },
  { path: 'bin/sh', type: 'symlink', linkname: 'dash' },
  { path: 'dev/null', type: 'char', devmajor: 1, devminor: 3 },
  { path: 'dev/sda', type: 'block', devmajor: 8, devminor: 0 },
  { path: 'run/initctl', type: 'fifo', mode: 0o600 },
  { path: 'tmp', type: 'dir', mode: 0o1777 },
  { path: 'secret', content: 'x', mode: 0 },
  { path: 'big-ids', size: 4, uid: 3_000_000, gid: 65534 },
  { path: `${LONG_DIR}file.txt`, size: 1000 },
  { path: NO_SPLIT, content: 'pax' },
  { path: 'caf\u00e9.txt', content: 'utf-8 name' },
  { path: 'far-link', type: 'symlink', linkname: `${'../'.repeat(40)}target` },
];

describe('writeTar', () => {
  it('writes every entry kind so GNU tar lists the same types, names and link targets', async () => {
    const entries = listVerbose(await writeTar(EVERY_KIND));
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(entries.map((e) => e.name)).toEqual(EVERY_KIND.map((f) => (f.type === 'dir' ? `${f.path}/` : f.path)));
    expect(byName.get('etc/')?.kind).toBe('d');
    expect(byName.get('etc/passwd.hard')).toMatchObject({ kind: 'h', target: 'etc/passwd' });
    expect(byName.get('bin/sh')).toMatchObject({ kind: 'l', target: 'dash' });
    expect(byName.get('dev/null')).toMatchObject({ kind: 'c', size: '1,3' });
    expect(byName.get('dev/sda')).toMatchObject({ kind: 'b', size: '8,0' });
    expect(byName.get('run/initctl')).toMatchObject({ kind: 'p', perms: 'rw-------' });
    expect(byName.get('far-link')?.target).toBe(`${'../'.repeat(40)}target`);
  });

  it('keeps modes, sticky bits, a mode of 0 and owner ids too large for octal', async () => {
    const byName = new Map(listVerbose(await writeTar(EVERY_KIND)).map((e) => [e.name, e]));
    expect(byName.get('tmp/')?.perms).toBe('rwxrwxrwt');
    expect(byName.get('secret')?.perms).toBe('---------');
    expect(byName.get('big-ids')?.owner).toBe('3000000/65534');
  });

  it('stores long and non-ASCII names intact with their content', async () => {
    const tar = await writeTar(EVERY_KIND);
    expect(listNames(tar)).toContain(`${LONG_DIR}file.txt`);
    expect(new TextDecoder().decode(readMember(tar, NO_SPLIT))).toBe('pax');
    expect(new TextDecoder().decode(readMember(tar, 'caf\u00e9.txt'))).toBe('utf-8 name');
    expect(readMember(tar, `${LONG_DIR}file.txt`)).toEqual(new Uint8Array(1000));
  });

  it('is byte-for-byte deterministic, so digests are stable', async () => {
    const a = await writeTar(EVERY_KIND);
    const b = await writeTar(EVERY_KIND);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(a.byteLength % 512).toBe(0);
  });

  it('splits into per-entry byte runs that concatenate back to the same tar', async () => {
    const parts = await writeTarEntries(EVERY_KIND);
    expect(parts).toHaveLength(EVERY_KIND.length);
    expect(Buffer.from(concatBytes([...parts, TAR_END])).equals(Buffer.from(await writeTar(EVERY_KIND)))).toBe(true);
  });
});
