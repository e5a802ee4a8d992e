// Archives written by tar-stream's pack side (as our fixture writer and many tools produce them).
import tar, { type Header as TarStreamHeader } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { walkEveryWay, type Walked } from './testing';
import { TarWalker } from './walker';

type Header = Partial<TarStreamHeader> & { name: string; pax?: Record<string, string> };

async function pack(entries: [Header, string?][]): Promise<Uint8Array> {
  const p = tar.pack();
  for (const [h, body] of entries) p.entry(h, body ?? '');
  p.finalize();
  const parts: Uint8Array[] = [];
  for await (const c of p) parts.push(c as Uint8Array);
  return new Uint8Array(Buffer.concat(parts));
}

async function walkAllWays(bytes: Uint8Array): Promise<Walked> {
  const { whole, others } = await walkEveryWay(bytes);
  for (const [how, walked] of others) expect(walked, how).toEqual(whole);
  return whole;
}

/** PAX records whose keys JavaScript treats specially, as own properties tar-stream will write. */
const trickyPax = JSON.parse(
  '{"__proto__":"p","constructor":"c","SCHILY.xattr.user.__proto__":"x1",' +
  '"SCHILY.xattr.security.capability":"cap","LIBARCHIVE.xattr.user.b64":"aMOpbGxv"}',
) as Record<string, string>;

describe('tar-stream archives', () => {
  it('joins the ustar prefix to the name for paths over 100 bytes', async () => {
    const name = `${'p'.repeat(90)}/${'n'.repeat(90)}`;
    const w = await walkAllWays(await pack([[{ name, mode: 0o4755 }, 'x']]));
    expect(w.entries[0]).toMatchObject({ path: name, rawPath: name, mode: 0o4755, size: 1 });
  });

  it('takes unicode and over-long names from PAX path records', async () => {
    const name = `dir/${'ü'.repeat(120)}/文件.txt`;
    const w = await walkAllWays(await pack([[{ name }, 'body']]));
    // tar-stream names the real header 'PaxHeader': only the PAX record has the path.
    expect(w.entries.map((e) => e.path)).toEqual([name]);
    expect(new TextDecoder().decode(w.bodies.get(name))).toBe('body');
  });

  it('reads xattrs into a null-prototype object, safe with __proto__ keys', async () => {
    const w = await walkAllWays(await pack([[{ name: '__proto__', pax: trickyPax }, 'v'], [{ name: 'plain' }, 'w']]));
    const [tricky, plain] = w.entries;
    expect(tricky!.path).toBe('__proto__');
    const xattrs = tricky!.xattrs!;
    expect(Object.getPrototypeOf(xattrs)).toBeNull();
    expect({ ...xattrs }).toEqual({ 'user.__proto__': 'x1', 'security.capability': 'cap', 'user.b64': 'héllo' });
    expect(({} as Record<string, unknown>).x1).toBeUndefined();
    // 'x' records belong to one entry only.
    expect(plain).toMatchObject({ path: 'plain', xattrs: undefined });
  });

  it('reports repeated entries each time, in order', async () => {
    const w = await walkAllWays(await pack([[{ name: 'f' }, 'one'], [{ name: 'g' }], [{ name: './f' }, 'two!']]));
    expect(w.entries.map((e) => [e.path, e.size])).toEqual([['f', 3], ['g', 0], ['f', 4]]);
  });

  it('maps typeflags to kinds and keeps device numbers', async () => {
    const w = await walkAllWays(await pack([
      [{ name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3 }],
      [{ name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0 }],
      [{ name: 'run/p', type: 'fifo' }],
      [{ name: 'etc/', type: 'directory', mode: 0o1777 }],
      [{ name: 'bin/sh', type: 'symlink', linkname: '/bin/../usr/bin/dash' }],
      [{ name: 'bin/h', type: 'link', linkname: '/usr/./bin//dash' }],
    ]));
    expect(w.entries.map((e) => [e.path, e.type, e.devMajor, e.devMinor, e.linkName])).toEqual([
      ['dev/null', 'char', 1, 3, ''],
      ['dev/sda', 'block', 8, 0, ''],
      ['run/p', 'fifo', 0, 0, ''],
      ['etc', 'dir', 0, 0, ''],
      // Symlink targets stay as written; hard link targets are archive paths, so normalised.
      ['bin/sh', 'symlink', 0, 0, '/bin/../usr/bin/dash'],
      ['bin/h', 'hardlink', 0, 0, 'usr/bin/dash'],
    ]);
    expect(w.entries[3]!.mode).toBe(0o1777);
    // an absolute hard link target is ordinary: normalised without a warning
    expect(w.warnings).toEqual([]);
  });

  it('hands bodies to sinks as views of the pushed chunk, not copies', async () => {
    const bytes = await pack([[{ name: 'a' }, 'abc']]);
    const seen: Uint8Array[] = [];
    const walker = new TarWalker({ onEntry: () => ({ write: (c) => seen.push(c), end: () => undefined }) });
    walker.push(bytes);
    walker.end();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.buffer).toBe(bytes.buffer);
    expect(seen[0]!.byteOffset).toBe(512);
  });
});
