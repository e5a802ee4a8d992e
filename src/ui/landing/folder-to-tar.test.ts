import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderToTar, isOciLayout } from './folder-to-tar';

describe('folderToTar', () => {
  it('builds a tar that GNU tar lists and extracts byte for byte', async () => {
    const long = `blobs/sha256/${'a'.repeat(64)}`;
    const files = [
      new File(['{"imageLayoutVersion":"1.0.0"}'], 'oci-layout'),
      new File(['{"schemaVersion":2,"manifests":[]}'], 'index.json'),
      new File([new Uint8Array(1000).fill(7)], long),
      new File(['x'], `deep/${'d'.repeat(90)}/${'n'.repeat(90)}`),
    ];
    expect(isOciLayout(files)).toBe(true);
    const tar = folderToTar(files, 'layout');
    expect(tar.size % 512).toBe(0);
    const dir = mkdtempSync(path.join(tmpdir(), 'strata-f2t-'));
    const file = path.join(dir, 'x.tar');
    writeFileSync(file, new Uint8Array(await tar.arrayBuffer()));
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    expect(listing).toContain(long);
    expect(listing).toContain('n'.repeat(90));
    execFileSync('tar', ['-xf', file, '-C', dir]);
    const out = execFileSync('cmp', [path.join(dir, long), '-'], { input: new Uint8Array(1000).fill(7) });
    expect(out.length).toBe(0);
  });
});
