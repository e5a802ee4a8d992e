// PAX and GNU details where readers differ, read as Go's archive/tar (the reader Docker, containerd
// and podman apply layers with), GNU tar and bsdtar agree: several 'x' headers in a row, a GNU
// volume label, NUL bytes inside PAX names and keywords. Expected values are written out.
import { describe, expect, it } from 'vitest';
import { walkEveryWay, type Walked } from './testing';
import { cat, END, file, header, paxBody } from './test-headers';

async function walkAllWays(bytes: Uint8Array): Promise<Walked> {
  const { whole, others } = await walkEveryWay(bytes);
  for (const [how, walked] of others) expect(walked, how).toEqual(whole);
  return whole;
}

/** A pax record with raw bytes in it (a NUL cannot be written through paxBody's string). */
function rawRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let len = rest.length;
  len += String(len + String(len).length).length;
  return len + rest;
}

describe('PAX and GNU details', () => {
  it('applies only the last of several PAX headers in a row (Go pax-multi-hdrs.tar)', async () => {
    const w = await walkAllWays(cat(
      file('PaxHeader/1', paxBody({ path: 'PAX1/PAX1/long-path-name' }), { type: 'x' }),
      file('PaxHeader/2', paxBody({ path: 'PAX2/PAX2/long-path-name' }), { type: 'x' }),
      file('PaxHeader/3', paxBody({ linkpath: 'PAX4/PAX4/long-linkpath-name' }), { type: 'x' }),
      header({ name: 'bar', type: '2', linkname: 'foo' }),
      file('after', 'x'),
      END,
    ));
    expect(w.entries.map((e) => [e.path, e.type, e.linkName, e.headerOffset])).toEqual([
      ['bar', 'symlink', 'PAX4/PAX4/long-linkpath-name', 0],
      ['after', 'file', '', 3584],
    ]);
    expect(w.warnings).toEqual([]);
  });

  it('lists a GNU volume label as no entry, with a warning (GNU tar: "--Volume Header--")', async () => {
    const w = await walkAllWays(cat(header({ name: 'label', type: 'V', format: 'gnu' }), file('a', 'one'), END));
    expect(w.entries.map((e) => [e.path, e.headerOffset])).toEqual([['a', 512]]);
    expect(w.warnings.map((x) => [x.code, x.offset, x.entry])).toEqual([['tar-volume-label', 0, 'label']]);
  });

  it('cuts a PAX path at a NUL byte, as GNU tar does, and warns (Go: ErrHeader)', async () => {
    const w = await walkAllWays(cat(
      file('PaxHeader/p', rawRecord('path', 'kept\0dropped'), { type: 'x' }),
      file('header-name', 'abc'),
      file('PaxHeader/l', rawRecord('linkpath', 'target\0rest'), { type: 'x' }),
      header({ name: 'link', type: '2' }),
      END,
    ));
    expect(w.entries.map((e) => [e.path, e.linkName])).toEqual([['kept', ''], ['link', 'target']]);
    expect(w.warnings.map((x) => [x.code, x.offset])).toEqual([['tar-pax-nul', 0], ['tar-pax-nul', 2048]]);
    expect(w.warnings[0]!.message).toBe('PAX path holds a NUL byte: cut there, read as "kept" (extended header at byte 0)');
  });

  it('drops a PAX record whose keyword holds a NUL, keeps the entry and binary xattr values', async () => {
    const x = rawRecord('SCHILY.xattr.null\0null', 'value') + rawRecord('SCHILY.xattr.security.capability', '\x01\0\0\x02');
    const w = await walkAllWays(cat(file('PaxHeader/f', x, { type: 'x' }), file('f', 'body'), END));
    expect(w.entries.map((e) => [e.path, e.xattrs])).toEqual([['f', { 'security.capability': '\x01\0\0\x02' }]]);
    expect(w.warnings.map((x) => [x.code, x.message])).toEqual([
      ['tar-pax-nul', 'PAX keyword "SCHILY.xattr.null\\u0000null" holds a NUL byte: record dropped (extended header at byte 0)'],
    ]);
  });
});
