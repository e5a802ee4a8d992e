// Unpacks every image of src/testing/symlink-layers.ts with real appliers and prints what each left
// on disk, one `--ls`-style line per path (`<type> <size> <mode> <path>[ -> <target>]`, sizes 0 for
// directories and symlinks): the expected listings in src/core/merge/symlinked-dirs.test.ts.
//   npx tsx scripts/symlink-cases.ts          (as root; needs Debian's umoci and podman)
// umoci: `umoci raw unpack` of an OCI layout. podman: `podman load` of a docker-save archive into
// a throwaway vfs store, then `podman image mount`.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYMLINK_CASES } from '../src/testing/symlink-layers';
import { writeDockerSave, writeOciLayout } from '../src/testing';

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function listing(root: string): string[] {
  const out = run('find', [root, '-mindepth', '1', '-printf', '%y %s %M %P\\0%l\\0\\n']);
  return out.split('\n').filter(Boolean).map((line) => {
    const [head, target] = line.split('\0');
    const [y, size, mode, ...rest] = head!.split(' ');
    const t = y === 'f' ? '-' : y!;
    const path = rest.join(' ');
    return `${t} ${t === '-' ? size : 0} ${mode} ${path}${t === 'l' ? ` -> ${target}` : ''}`;
  }).sort((a, b) => {
    const pa = a.split(' ').slice(3).join(' ').split(' -> ')[0]!;
    const pb = b.split(' ').slice(3).join(' ').split(' -> ')[0]!;
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
}

async function withUmoci(i: number): Promise<string[]> {
  const c = SYMLINK_CASES[i]!;
  const tmp = mkdtempSync(join(tmpdir(), 'strata-umoci-'));
  try {
    writeFileSync(join(tmp, 'layout.tar'), await writeOciLayout([{ tags: ['case:latest'], layers: c.layers }]));
    run('mkdir', [join(tmp, 'layout')]);
    run('tar', ['-xf', join(tmp, 'layout.tar'), '-C', join(tmp, 'layout')]);
    run('umoci', ['raw', 'unpack', '--image', `${join(tmp, 'layout')}:latest`, join(tmp, 'rootfs')]);
    return listing(join(tmp, 'rootfs'));
  } catch (e) {
    return [`error: ${(e as { stderr?: string }).stderr?.trim() ?? String(e)}`];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function withPodman(i: number): Promise<string[]> {
  const c = SYMLINK_CASES[i]!;
  const tmp = mkdtempSync(join(tmpdir(), 'strata-podman-'));
  const store = ['--root', join(tmp, 'root'), '--runroot', join(tmp, 'run'), '--storage-driver', 'vfs'];
  try {
    writeFileSync(join(tmp, 'save.tar'), await writeDockerSave([{ tags: [`case${i}:latest`], layers: c.layers }]));
    run('podman', [...store, 'load', '-q', '-i', join(tmp, 'save.tar')]);
    const mount = run('podman', [...store, 'image', 'mount', `case${i}:latest`]).trim();
    const lines = listing(mount);
    run('podman', [...store, 'image', 'unmount', `case${i}:latest`]);
    return lines;
  } catch (e) {
    return [`error: ${(e as { stderr?: string }).stderr?.trim() ?? String(e)}`];
  } finally {
    try { run('podman', [...store, 'system', 'reset', '-f']); } catch { /* the store is removed below */ }
    rmSync(tmp, { recursive: true, force: true });
  }
}

console.log(`# ${run('umoci', ['--version']).trim()}; ${run('podman', ['--version']).trim()} (vfs)`);
for (let i = 0; i < SYMLINK_CASES.length; i++) {
  const [u, p] = [await withUmoci(i), await withPodman(i)];
  console.log(`\n## ${SYMLINK_CASES[i]!.name}${JSON.stringify(u) === JSON.stringify(p) ? ' (umoci = podman)' : ''}`);
  console.log(`umoci:  ${JSON.stringify(u)}`);
  console.log(`podman: ${JSON.stringify(p)}`);
}
