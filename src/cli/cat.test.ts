// `analyze --cat`: a file's bytes raw on stdout, from each kind of layer; binary refused on a
// terminal without --force; names in messages quoted.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readArchive } from '../core/pipeline/read-archive';
import { noise, writeDockerSave, writeOciLayout } from '../testing';
import { gzipCheckpointsOf } from '../core/contents';
import { analyseImages } from './analyses';
import { catFile } from './cat';

const run = promisify(execFile);
const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]);
const files = [
  { path: 'etc/os-release', content: 'ID=strata\nVERSION_ID=1\n' },
  { path: 'usr/bin/tool', content: ELF },
];

async function cat(archive: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/analyze.ts', archive, ...args], { encoding: 'buffer' });
    return { code: 0, stdout, stderr: stderr.toString() };
  } catch (e) {
    const err = e as { code: number; stdout: Buffer; stderr: Buffer };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr.toString() };
  }
}

describe('analyze --cat', () => {
  it('prints a file raw from a docker save and from a zstd OCI layout; a missing path is an error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-cat-'));
    try {
      await writeFile(join(dir, 'save.tar'), await writeDockerSave([{ tags: ['t:1'], layers: [{ createdBy: 'a', files }] }]));
      await writeFile(join(dir, 'oci.tar'), await writeOciLayout([{ tags: ['t:1'], layers: [{ createdBy: 'a', compression: 'zstd', files }, { createdBy: 'b', compression: 'gzip', files: [{ path: 'etc/os-release', content: 'ID=strata\nVERSION_ID=2\n' }] }] }]));
      const plain = await cat(join(dir, 'save.tar'), '--cat', '/etc/os-release');
      expect(plain.code).toBe(0);
      expect(plain.stdout.toString()).toBe('ID=strata\nVERSION_ID=1\n');
      expect((await cat(join(dir, 'oci.tar'), '--cat', 'etc/os-release', '--layer', '0')).stdout.toString()).toBe('ID=strata\nVERSION_ID=1\n');
      const binary = await cat(join(dir, 'oci.tar'), '--cat', 'usr/bin/tool');
      expect([...binary.stdout]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]);
      const missing = await cat(join(dir, 'oci.tar'), '--cat', 'etc/\x1b[2Jgone');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('strata: /etc/\\033[2Jgone: no such file in this image\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses to write binary to a terminal unless --force', async () => {
    const result = await readArchive(new Blob([(await writeDockerSave([{ tags: ['t:1'], layers: [{ createdBy: 'a', files }] }])) as BlobPart]));
    const analyses = analyseImages(result);
    const written: Uint8Array[] = [];
    const errors: string[] = [];
    const tty = { isTTY: true, write: (c: Uint8Array) => { written.push(c); return true; }, once: () => undefined };
    expect(await catFile(result, analyses.get, 'usr/bin/tool', { image: 0, force: false, out: tty, err: (l) => errors.push(l) })).toBe(1);
    expect(errors).toEqual(['/usr/bin/tool is elf (10 bytes): not written to a terminal; redirect it to a file or a pipe, or add --force']);
    expect(written).toEqual([]);
    expect(await catFile(result, analyses.get, 'usr/bin/tool', { image: 0, force: true, out: tty, err: (l) => errors.push(l) })).toBe(0);
    expect(written.map((c) => [...c])).toEqual([[0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]]);
    expect(await catFile(result, analyses.get, 'etc/os-release', { image: 0, force: false, out: tty, err: (l) => errors.push(l) })).toBe(0);
    expect(new TextDecoder().decode(written.at(-1))).toBe('ID=strata\nVERSION_ID=1\n');
  });

  it('refuses text that holds an escape sequence on a terminal, names where, and writes it to a pipe', async () => {
    // A text file (it sniffs as text: ESC is common in logs) whose second line would clear the screen.
    const hostile = [{ path: 'etc/motd', content: 'welcome\n\x1b[2J\x1b]0;pwned\x07\n' }, { path: 'etc/csi', content: 'a\u009b2Jb\n' }];
    const result = await readArchive(new Blob([(await writeDockerSave([{ tags: ['t:1'], layers: [{ createdBy: 'a', files: hostile }] }])) as BlobPart]));
    const analyses = analyseImages(result);
    const written: Uint8Array[] = [];
    const errors: string[] = [];
    const out = (isTTY: boolean) => ({ isTTY, write: (c: Uint8Array) => { written.push(c); return true; }, once: () => undefined });
    expect(await catFile(result, analyses.get, 'etc/motd', { image: 0, force: false, out: out(true), err: (l) => errors.push(l) })).toBe(1);
    expect(await catFile(result, analyses.get, 'etc/csi', { image: 0, force: false, out: out(true), err: (l) => errors.push(l) })).toBe(1);
    expect(errors).toEqual([
      '/etc/motd holds a terminal control character (byte 0x1b at offset 8): not written to a terminal; redirect it to a file or a pipe, or add --force',
      '/etc/csi holds a terminal control character (byte 0xc2 at offset 1): not written to a terminal; redirect it to a file or a pipe, or add --force',
    ]);
    expect(written).toEqual([]);
    expect(await catFile(result, analyses.get, 'etc/motd', { image: 0, force: false, out: out(false), err: (l) => errors.push(l) })).toBe(0);
    expect(new TextDecoder().decode(written[0])).toBe('welcome\n\x1b[2J\x1b]0;pwned\x07\n');
  });

  it('streams a file larger than one read out of a single-stream gzip layer, later reads restarting at checkpoints', async () => {
    // 18 MiB: a 16 MiB read, then a 2 MiB one that starts at a deflate checkpoint the first
    // recorded, instead of decoding the layer again from its start up to the read.
    const big = noise(18 << 20, 11);
    const result = await readArchive(new Blob([(await writeOciLayout([{ tags: ['t:1'], layers: [{ createdBy: 'a', compression: 'gzip', files: [{ path: 'opt/big.bin', content: big }] }] }])) as BlobPart]));
    const analyses = analyseImages(result);
    const written: Uint8Array[] = [];
    const pipe = { isTTY: false, write: (c: Uint8Array) => { written.push(c.slice()); return true; }, once: () => undefined };
    expect(await catFile(result, analyses.get, 'opt/big.bin', { image: 0, force: false, out: pipe, err: (l) => { throw new Error(l); } })).toBe(0);
    expect(written.map((c) => c.length)).toEqual([16 << 20, 2 << 20]);
    expect(Buffer.concat(written).equals(Buffer.from(big))).toBe(true);
    const layer = result.results.get(result.images[0]!.layers[0]!.key)!;
    expect(layer.restarts).toBeUndefined();
    // About one per MiB of the (incompressible) layer.
    expect(gzipCheckpointsOf(layer, 0).points.length).toBeGreaterThan(14);
  }, 180_000);
});
