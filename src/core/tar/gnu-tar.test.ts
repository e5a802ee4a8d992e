// Archives written by GNU tar itself (gnu, posix/pax, ustar, v7 formats; old GNU and PAX sparse),
// each walked whole and in 1-, 7- and 512-byte chunks and by random access.
import { execFileSync } from 'node:child_process';
import {
  closeSync, existsSync, ftruncateSync, linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync,
  writeFileSync, writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkEveryWay, type Walked } from './testing';

const TAR = '/usr/bin/tar';
const haveTar = existsSync(TAR);
if (!haveTar) console.warn(`skipping GNU tar fixtures: ${TAR} not found`);

const LONG_DIR = 'deep/' + 'd'.repeat(120);
const LONG_FILE = `${LONG_DIR}/${'f'.repeat(140)}.txt`; // > 255 bytes in all
const LONG_TARGET = 't'.repeat(150);
const UNICODE = 'ünïcødé-文件-😀.txt';

let dir = '';
const archive = (name: string) => new Uint8Array(readFileSync(join(dir, name)));

function tar(...args: string[]): void {
  execFileSync(TAR, ['--sort=name', '--mtime=@1700000000.25', '--owner=0', '--group=0', '--numeric-owner', ...args], { cwd: dir });
}

function makeTree(root: string): void {
  mkdirSync(join(root, LONG_DIR), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'a.txt'), 'hello');
  writeFileSync(join(root, LONG_FILE), 'long');
  writeFileSync(join(root, UNICODE), 'unicode');
  writeFileSync(join(root, '__proto__'), 'proto');
  symlinkSync('a.txt', join(root, 'link'));
  symlinkSync(LONG_TARGET, join(root, 'longlink'));
  linkSync(join(root, 'a.txt'), join(root, 'hard'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
}

/** A file of `size` bytes that is all holes except `text` written at each of `offsets`. */
function writeSparse(path: string, size: number, writes: [number, string][]): void {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  for (const [at, text] of writes) writeSync(fd, text, at);
  closeSync(fd);
}

/** 60 islands 64 KiB apart: more than the 4 map entries an old GNU header holds (so extension
 *  blocks follow it) and a PAX 1.0 map longer than one block. */
const ISLANDS = Array.from({ length: 60 }, (_, i): [number, string] => [i * 65536 + 100, `island-${i}`]);

function makeSparse(root: string): void {
  mkdirSync(root);
  writeSparse(join(root, 'sp'), 20 << 20, [[1000000, 'hello'], [15000000, 'world']]);
  writeSparse(join(root, 'many'), 8 << 20, ISLANDS);
}

beforeAll(() => {
  if (!haveTar) return;
  dir = mkdtempSync(join(tmpdir(), 'strata-tar-'));
  makeTree(join(dir, 'tree'));
  makeSparse(join(dir, 'sparse'));
  tar('--format=gnu', '-cf', 'gnu.tar', '-C', 'tree', '.');
  tar('--format=posix', '-cf', 'pax.tar', '-C', 'tree', '.');
  tar('--format=gnu', '--sparse', '-cf', 'sparse-gnu.tar', '-C', 'sparse', 'sp', 'many');
  for (const v of ['0.0', '0.1', '1.0']) {
    tar('--format=posix', '--sparse', `--sparse-version=${v}`, '-cf', `sparse-${v}.tar`, '-C', 'sparse', 'sp', 'many');
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

/** Walk whole, in 1-, 7- and 512-byte chunks and by random access; all must agree. */
async function walkAllWays(bytes: Uint8Array): Promise<Walked> {
  const { whole, others } = await walkEveryWay(bytes);
  for (const [how, walked] of others) expect(walked, how).toEqual(whole);
  return whole;
}

describe.skipIf(!haveTar)('GNU tar archives', () => {
  for (const format of ['gnu', 'pax']) {
    it(`lists every kind of entry from --format=${format === 'pax' ? 'posix' : 'gnu'}`, async () => {
      const w = await walkAllWays(archive(`${format}.tar`));
      expect(w.warnings).toEqual([]);
      const byPath = new Map(w.entries.map((e) => [e.path, e]));
      expect([...byPath.keys()].sort()).toEqual([
        '', '__proto__', 'a.txt', 'deep', LONG_DIR, LONG_FILE, 'empty', 'fifo', 'hard', 'link', 'longlink', UNICODE,
      ].sort());
      expect(byPath.get('')!.rawPath).toBe('./');
      expect(byPath.get(LONG_FILE)!.rawPath).toBe(`./${LONG_FILE}`);
      expect(byPath.get('empty')!.type).toBe('dir');
      expect(byPath.get('fifo')!.type).toBe('fifo');
      expect(byPath.get('link')).toMatchObject({ type: 'symlink', linkName: 'a.txt', stored: 0 });
      expect(byPath.get('longlink')).toMatchObject({ type: 'symlink', linkName: LONG_TARGET });
      // GNU tar writes './a.txt' as the target; the index needs the normalised path.
      expect(byPath.get('hard')).toMatchObject({ type: 'hardlink', linkName: 'a.txt' });
      expect(byPath.get('a.txt')).toMatchObject({ type: 'file', size: 5, stored: 5, mode: 0o644, uid: 0 });
      expect(text(w.bodies.get('a.txt'))).toBe('hello');
      expect(text(w.bodies.get(UNICODE))).toBe('unicode');
      expect(text(w.bodies.get('__proto__'))).toBe('proto');
      expect(text(w.bodies.get(LONG_FILE))).toBe('long');
    });
  }

  it('keeps fractional PAX mtimes and whole-second ustar ones', async () => {
    const pax = await walkAllWays(archive('pax.tar'));
    const gnu = await walkAllWays(archive('gnu.tar'));
    expect(pax.entries.find((e) => e.path === 'a.txt')!.mtime).toBeCloseTo(1700000000.25, 6);
    expect(gnu.entries.find((e) => e.path === 'a.txt')!.mtime).toBe(1700000000);
  });

  it('offsets point at the first header of each entry and at its body', async () => {
    const bytes = archive('gnu.tar');
    const w = await walkAllWays(bytes);
    const long = w.entries.find((e) => e.path === LONG_FILE)!;
    // Long names come as an 'L' header first; headerOffset must include it.
    expect(bytes[long.headerOffset + 156]).toBe(0x4c);
    expect(text(bytes.subarray(long.dataOffset, long.dataOffset + 4))).toBe('long');
    // The archive ends after the last body, padded to a block, and two zero blocks.
    const last = w.entries.at(-1)!;
    expect(w.end).toBe(last.dataOffset + Math.ceil(last.stored / 512) * 512 + 1024);
  });

  for (const name of ['sparse-gnu', 'sparse-0.0', 'sparse-0.1', 'sparse-1.0']) {
    it(`reports the real size of a sparse file and hands over only its data (${name})`, async () => {
      const w = await walkAllWays(archive(`${name}.tar`));
      expect(w.warnings).toEqual([]);
      expect(w.entries).toHaveLength(2);
      expect(w.entries[0]).toMatchObject({ path: 'sp', type: 'file', sparse: true, size: 20 << 20, stored: 8192 });
      // Two 4 KiB data segments starting at 999424 and 14999552: the written bytes sit at 576
      // and 4096 + 448 of the body, which also proves a 1.0 map was not left in front of it.
      const body = w.bodies.get('sp')!;
      expect(text(body.subarray(576, 581))).toBe('hello');
      expect(text(body.subarray(4096 + 448, 4096 + 453))).toBe('world');
      // 60 segments of 4 KiB, each holding its island 100 bytes in.
      expect(w.entries[1]).toMatchObject({ path: 'many', sparse: true, size: 8 << 20, stored: 60 * 4096 });
      const many = w.bodies.get('many')!;
      expect(ISLANDS.map((_, i) => text(many.subarray(i * 4096 + 100, i * 4096 + 100 + `island-${i}`.length))))
        .toEqual(ISLANDS.map(([, t]) => t));
    });
  }
});
