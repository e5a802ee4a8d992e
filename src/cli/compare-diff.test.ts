// `strata compare A B --diff PATH`: one file's two versions as `diff -u` hunks, the same hunks GNU
// diff prints for the same two texts, from images the fixture writer wrote (gzip and zstd layers).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntry } from '../../test/cli';
import { writeOciLayout } from '../testing';
import { visibleControls } from './diff-file';

const exec = promisify(execFile);
const compare = (...args: string[]) => runEntry('src/cli/compare.ts', args);

const lines = (n: number, edit: (i: number) => string | null = (i) => `line ${i}`) =>
  Array.from({ length: n }, (_, i) => edit(i + 1)).filter((l) => l !== null).join('\n') + '\n';
const CONF_A = lines(20);
// Line 2 changed, line 10 removed, two lines after 18: three hunks' worth, the first two merged.
const CONF_B = lines(20, (i) => (i === 2 ? 'line two' : i === 10 ? null : i === 18 ? 'line 18\nnew a\nnew b' : `line ${i}`));

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-diff-'));
  const base = { createdBy: 'ADD base', files: [{ path: 'etc/app.conf', content: CONF_A }, { path: 'etc/old.txt', content: 'gone\n' }, { path: 'bin/tool', content: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1]) }] };
  await writeFile(at('a.tar'), await writeOciLayout([{ tags: ['app:1'], layers: [base] }]));
  await writeFile(at('b.tar'), await writeOciLayout([{ tags: ['app:2'], layers: [base, {
    createdBy: 'COPY conf', compression: 'zstd',
    files: [
      { path: 'etc/app.conf', content: CONF_B }, { path: 'etc/new.txt', content: 'hello\n' }, { path: 'etc/.wh.old.txt', content: '' },
      { path: 'bin/tool', content: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2]) },
    ],
  }] }]));
  await writeFile(at('conf-a'), CONF_A);
  await writeFile(at('conf-b'), CONF_B);
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run compare -- A B --diff PATH', () => {
  it('prints the hunks GNU diff -u prints for the same two texts', async () => {
    const gnu = await exec('diff', ['-u', at('conf-a'), at('conf-b')]).then(() => '', (e: { stdout: string }) => e.stdout);
    const r = await compare(at('a.tar'), at('b.tar'), '--diff', '/etc/app.conf');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [head, ...hunks] = r.stdout.split(/(?=^@@)/m);
    expect(head).toBe(`--- a.tar:/etc/app.conf\n+++ b.tar:/etc/app.conf\n`);
    expect(hunks.join('')).toBe(gnu.split(/(?=^@@)/m).slice(1).join(''));
    // Written out too, so a change in both GNU diff and ours is noticed.
    expect(hunks.map((h) => h.split('\n')[0])).toEqual(['@@ -1,5 +1,5 @@', '@@ -7,7 +7,6 @@', '@@ -16,5 +15,7 @@']);
  });

  it('merges two changes six unchanged lines apart into one hunk, as GNU diff does', async () => {
    await writeFile(at('near-a'), lines(12));
    await writeFile(at('near-b'), lines(12, (i) => (i === 2 || i === 9 ? `changed ${i}` : `line ${i}`)));
    const image = async (name: string, file: string) => writeFile(at(name), await writeOciLayout([{ tags: [name], layers: [{ createdBy: 'ADD', files: [{ path: 'near', content: await readFile(at(file)) }] }] }]));
    await image('near-a.tar', 'near-a');
    await image('near-b.tar', 'near-b');
    const gnu = await exec('diff', ['-u', at('near-a'), at('near-b')]).then(() => '', (e: { stdout: string }) => e.stdout);
    const r = await compare(at('near-a.tar'), at('near-b.tar'), '--diff', 'near');
    expect(r.stdout.split(/(?=^@@)/m).slice(1).join('')).toBe(gnu.split(/(?=^@@)/m).slice(1).join(''));
    expect(r.stdout.match(/^@@.*$/gm)).toEqual(['@@ -1,12 +1,12 @@']);
  });

  it('diffs an added and a removed file against /dev/null, and names binary files', async () => {
    const added = await compare(at('a.tar'), at('b.tar'), '--diff', 'etc/new.txt', '--exit-code');
    expect(added).toEqual({ code: 1, stderr: '', stdout: '--- /dev/null\n+++ b.tar:/etc/new.txt\n@@ -0,0 +1 @@\n+hello\n' });
    const removed = await compare(at('a.tar'), at('b.tar'), '--diff', 'etc/old.txt');
    expect(removed.stdout).toBe('--- a.tar:/etc/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n');
    const binary = await compare(at('a.tar'), at('b.tar'), '--diff', 'bin/tool');
    expect(binary.stdout).toMatch(/^Binary files a\.tar:\/bin\/tool and b\.tar:\/bin\/tool differ \(elf, 5 B → elf, 5 B, sha256 [0-9a-f]{12}… → [0-9a-f]{12}…\)\n$/);
  });

  it('exits 0 with nothing printed for a file both have alike, and 2 naming a path neither has', async () => {
    expect(await compare(at('a.tar'), at('a.tar'), '--diff', 'etc/app.conf', '--exit-code')).toEqual({ code: 0, stdout: '', stderr: '' });
    const none = await compare(at('a.tar'), at('b.tar'), '--diff', 'etc/\u001b[2Jnope');
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('strata: /etc/\\033[2Jnope: no such file in a.tar or in b.tar\n');
    const dirDiff = await compare(at('a.tar'), at('b.tar'), '--diff', 'etc');
    expect(dirDiff).toEqual({ code: 2, stdout: '', stderr: 'strata: /etc is a directory: it has no contents to show\n' });
  });

  it('shows control characters escaped on a terminal, tabs as they are', () => {
    expect(visibleControls('ok\tthen\u001b[2J\u009b1m\u202eevil')).toBe('ok\tthen\\x1b[2J\\x9b1m\\u{202e}evil');
  });
});
