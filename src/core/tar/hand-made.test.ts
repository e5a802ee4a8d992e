// Headers neither GNU tar nor tar-stream will write for us: base-256 sizes, V7, corrupt and cut
// archives, escaping paths, global PAX headers. Built byte by byte per POSIX ustar / GNU tar docs.
import { describe, expect, it } from 'vitest';
import { looksLikeTarHeader } from './fields';
import { readTarHeadersAt } from './random-access';
import { walkEveryWay, type Walked } from './testing';
import type { TarEntry } from './types';
import { body, cat, END, file, header, paxBody } from './test-headers';

async function walkAllWays(bytes: Uint8Array): Promise<Walked> {
  const { whole, others } = await walkEveryWay(bytes);
  for (const [how, walked] of others) expect(walked, how).toEqual(whole);
  return whole;
}

describe('hand-made headers', () => {
  it('reads V7 headers (no magic): typeflag NUL is a file, a trailing slash a directory', async () => {
    const w = await walkAllWays(cat(
      header({ name: 'old/', type: '\0', format: 'v7', mode: 0o755 }),
      file('old/f', 'v7 body', { type: '\0', format: 'v7' }),
      header({ name: 'old/l', type: '1', linkname: 'old/f', format: 'v7' }),
      END,
    ));
    expect(w.entries.map((e) => [e.path, e.type, e.uname, e.uid])).toEqual([
      ['old', 'dir', '', 1000], ['old/f', 'file', '', 1000], ['old/l', 'hardlink', '', 1000],
    ]);
    expect(new TextDecoder().decode(w.bodies.get('old/f'))).toBe('v7 body');
  });

  it('accepts the historic signed-char checksum as well as the POSIX unsigned one', async () => {
    const w = await walkAllWays(cat(
      header({ name: 'café-signed', signedChecksum: true }), header({ name: 'café-unsigned' }), END,
    ));
    expect(w.entries.map((e) => e.path)).toEqual(['café-signed', 'café-unsigned']);
    expect(w.warnings).toEqual([]);
  });

  it('reads a base-256 size over 8 GiB and seeks over the body by random access', async () => {
    const size = 9 * 2 ** 30 + 3;
    const h = header({ name: 'big.bin', size, base256Size: true, format: 'gnu' });
    const entries: TarEntry[] = [];
    const ranges: [number, number][] = [];
    // A virtual 9 GiB archive: only the header is real; every other block reads as zeros.
    const read = async (offset: number, length: number) => {
      ranges.push([offset, length]);
      return offset === 0 ? h.slice(0, length) : new Uint8Array(length);
    };
    const total = 512 + Math.ceil(size / 512) * 512 + 1024;
    const { end } = await readTarHeadersAt(read, total, { onEntry: (e) => void entries.push(e) });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ path: 'big.bin', size, stored: size, dataOffset: 512 });
    expect(end).toBe(total);
    expect(ranges.reduce((n, [, len]) => n + len, 0)).toBeLessThan(200_000);
  });

  it('stops at a bad checksum, naming its offset, and keeps the entries before it', async () => {
    const bad = header({ name: 'c', size: 0 });
    bad[0] = bad[0]! ^ 1;
    const bytes = cat(file('a', 'one'), file('b', 'two'), bad, file('d', 'after'), END);
    const w = await walkAllWays(bytes);
    expect(w.entries.map((e) => e.path)).toEqual(['a', 'b']);
    expect(w.warnings).toMatchObject([{ code: 'tar-bad-checksum', offset: 2048 }]);
    expect(w.warnings[0]!.message).toContain('2048');
  });

  it('warns on a body cut short, keeping earlier entries, at the cut entry\'s offset', async () => {
    const whole = cat(file('a', 'one'), file('b', 'x'.repeat(1000)), END);
    const cut = whole.subarray(0, 1024 + 512 + 300);
    const w = await walkAllWays(cut);
    expect(w.entries.map((e) => e.path)).toEqual(['a', 'b']);
    expect(w.bodies.has('b')).toBe(false); // its sink was never ended as if complete
    expect(w.warnings).toMatchObject([{ code: 'tar-truncated', offset: 1024, entry: 'b' }]);
  });

  it('warns on a header cut short, and on long-name headers with no entry after them', async () => {
    const cutHeader = cat(file('a', 'one'), header({ name: 'b' }).subarray(0, 100));
    const w1 = await walkAllWays(cutHeader);
    expect(w1.entries.map((e) => e.path)).toEqual(['a']);
    expect(w1.warnings).toMatchObject([{ code: 'tar-truncated', offset: 1024 }]);
    const longName = 'n'.repeat(150);
    const orphan = cat(file('a', 'one'), file('././@LongLink', longName, { type: 'L', format: 'gnu' }));
    const w2 = await walkAllWays(orphan);
    expect(w2.warnings).toMatchObject([{ code: 'tar-truncated', offset: 1024, entry: longName }]);
  });

  it('accepts one zero block then EOF, or a missing end marker, and ignores data after the end', async () => {
    const a = file('a', 'one');
    for (const bytes of [cat(a, new Uint8Array(512)), a, cat(a, END, file('junk', 'ignored'), END)]) {
      const w = await walkAllWays(bytes);
      expect(w.entries.map((e) => e.path)).toEqual(['a']);
      expect(w.warnings).toEqual([]);
    }
  });

  it('keeps paths under the root and says so', async () => {
    const w = await walkAllWays(cat(
      header({ name: '../../etc/passwd' }), header({ name: '/abs/x' }), header({ name: 'a/../../b' }),
      header({ name: './ok/./x//y/' }), header({ name: 'h', type: '1', linkname: '../../etc/shadow' }), END,
    ));
    expect(w.entries.map((e) => [e.path, e.linkName])).toEqual([
      ['etc/passwd', ''], ['abs/x', ''], ['b', ''], ['ok/x/y', ''], ['h', 'etc/shadow'],
    ]);
    expect(w.warnings.map((x) => [x.code, x.offset, x.entry])).toEqual([
      ['tar-path-escape', 0, '../../etc/passwd'],
      ['tar-path-escape', 1024, 'a/../../b'], ['tar-path-escape', 2048, '../../etc/shadow'],
    ]);
  });

  it('applies per-entry PAX records to one entry only, and global ones to none, with a warning', async () => {
    // Go's archive/tar (Docker, containerd, podman) does not apply 'g' records: header-decoder.ts.
    const g = paxBody({ uname: 'builder', 'SCHILY.xattr.user.g': 'global' });
    const x = paxBody({ path: 'from-pax', mtime: '1700000000.5', size: '3', uid: '4294967294' });
    const w = await walkAllWays(cat(
      file('pax_global_header', g, { type: 'g' }),
      file('PaxHeader/x', x, { type: 'x' }),
      file('ignored-name', 'abc', { size: 99 }),
      file('second', 'de'),
      END,
    ));
    expect(w.entries.map((e) => [e.path, e.uname, e.mtime, e.size, e.uid, e.xattrs])).toEqual([
      ['from-pax', 'user', 1700000000.5, 3, 4294967294, undefined],
      ['second', 'user', 1700000000, 2, 1000, undefined],
    ]);
    // The 'x' header starts the entry's record; the 'g' header stands alone.
    expect(w.entries[0]!.headerOffset).toBe(1024);
    expect(w.warnings.map((x) => [x.code, x.offset])).toEqual([['tar-pax-global-ignored', 0]]);
    expect(w.warnings[0]!.message).toContain('"uname", "SCHILY.xattr.user.g"');
  });

  it('says nothing of a global header that only carries a comment (git archive)', async () => {
    const w = await walkAllWays(cat(file('pax_global_header', paxBody({ comment: 'c0ffee' }), { type: 'g' }), file('a', 'x'), END));
    expect(w.entries.map((e) => e.path)).toEqual(['a']);
    expect(w.warnings).toEqual([]);
  });

  it('warns on malformed PAX records, keeping those before them and the entry itself', async () => {
    const x = paxBody({ mtime: '1700000001' }) + '0 \n' + paxBody({ path: 'never' });
    const w = await walkAllWays(cat(file('PaxHeader/x', x, { type: 'x' }), file('header-name', 'abc'), END));
    expect(w.entries.map((e) => [e.path, e.mtime])).toEqual([['header-name', 1700000001]]);
    expect(w.warnings).toMatchObject([{ code: 'tar-bad-pax', offset: 0 }]);
  });
});

describe('readTarHeadersAt', () => {
  const big = 'z'.repeat((5 << 20) / 2 + 7);
  const bytes = cat(file('big', big), file('small', 'tail'), END);
  const read = async (offset: number, length: number) => bytes.slice(offset, offset + length);

  it('reads wanted bodies in ranges of at most 1 MiB', async () => {
    const sizes: number[] = [];
    let text = '';
    const dec = new TextDecoder();
    await readTarHeadersAt(read, bytes.length, {
      onEntry: (e) => (e.path === 'big' ? { write: (c) => { sizes.push(c.length); text += dec.decode(c); }, end: () => undefined } : undefined),
    });
    expect(text).toBe(big);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1 << 20);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const walk = readTarHeadersAt(read, bytes.length, {
      onEntry: (e) => {
        seen.push(e.path);
        controller.abort();
      },
    }, controller.signal);
    await expect(walk).rejects.toThrow(/abort/i);
    expect(seen).toEqual(['big']);
  });
});

describe('looksLikeTarHeader', () => {
  it('recognises ustar, GNU and V7 headers but not zeros, gzip or text', () => {
    for (const format of ['ustar', 'gnu', 'v7'] as const) expect(looksLikeTarHeader(header({ name: 'a', format }))).toBe(true);
    const gzip = new Uint8Array(512);
    gzip.set([0x1f, 0x8b, 8, 0]);
    expect(looksLikeTarHeader(gzip)).toBe(false);
    expect(looksLikeTarHeader(new Uint8Array(512))).toBe(false);
    expect(looksLikeTarHeader(body('{"schemaVersion": 2, "manifests": []}'.repeat(20)))).toBe(false);
  });
});
