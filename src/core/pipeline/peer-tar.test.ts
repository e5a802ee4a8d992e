// The third-party tar files of issue 10, read end to end as `--ls` reads them, with the listings
// written out: what GNU tar lists, or (where readers differ) what Go's archive/tar and bsdtar
// read, which is what Docker, containerd and podman apply. check_peer_tar.py runs all 159; these
// are the ones this reader once got wrong.
import { describe, expect, it } from 'vitest';
import { readArchive } from './read-archive';
import { analyseImage } from '../analysis/analyse-image';
import { formatLs } from '../merge';
import { havePeerTar, peerTarFixture, SKIP_PEER_TAR } from '../../../test/shared-fixtures';

async function list(name: string): Promise<{ lines: string[]; codes: string[] }> {
  const r = await readArchive(await peerTarFixture(name), { name });
  const lines = [...formatLs(analyseImage(r.images[0]!, r.results).merged)];
  return { lines, codes: r.summary.warnings.map((w) => w.code).filter((c) => c !== 'plain-tar') };
}

describe.skipIf(!havePeerTar)(`peer tar files${SKIP_PEER_TAR}`, () => {
  it('node-tar excessively-deep.tar: the path 222,371 levels deep is left out with a warning, no crash', async () => {
    expect(await list('node-tar/excessively-deep.tar')).toEqual({ lines: [], codes: ['tar-path-too-long'] });
  });

  it('libarchive test_compat_gzip_2.tgz: all six files despite the junk after the gzip member', async () => {
    const { lines, codes } = await list('libarchive/test_compat_gzip_2.tgz');
    expect(lines).toEqual([
      'd 0 drwxr-xr-x d1', '- 3 -rw-r--r-- d1/f1', '- 3 -rw-r--r-- d1/f2', '- 3 -rw-r--r-- d1/f3',
      '- 3 -rw-r--r-- f1', '- 3 -rw-r--r-- f2', '- 3 -rw-r--r-- f3',
    ]);
    expect(codes).toEqual(['gzip-trailing-garbage', 'gzip-trailing-garbage']); // the archive pass and the layer pass
  });

  it('Go pax-multi-hdrs.tar: only the last PAX header applies', async () => {
    expect((await list('go-archive-tar/pax-multi-hdrs.tar')).lines).toEqual(['l 0 l--------- bar -> PAX4/PAX4/long-linkpath-name']);
  });

  it('Go pax-nul-path.tar: the name is cut at the NUL, as GNU tar reads it, with a warning', async () => {
    const { lines, codes } = await list('go-archive-tar/pax-nul-path.tar');
    expect(lines).toEqual([`- 0 ---------- ${'0123456789'.repeat(20)}`]);
    expect(codes).toEqual(['tar-pax-nul', 'tar-pax-nul']);
  });

  it('Go pax-nul-xattrs.tar: the NUL keyword is dropped with a warning, the file kept', async () => {
    const { lines, codes } = await list('go-archive-tar/pax-nul-xattrs.tar');
    expect(lines).toEqual(['- 0 ---------- bad-null.txt']);
    expect(codes).toEqual(['tar-pax-nul', 'tar-pax-nul']);
  });

  it('libarchive gnulabel: a volume label is no file', async () => {
    const { lines, codes } = await list('libarchive/test_read_format_tar_empty_with_gnulabel.tar');
    expect(lines).toEqual([]);
    expect(codes).toEqual(['tar-volume-label', 'tar-volume-label', 'layer-not-tar']); // the label is all it holds
  });

  it('global PAX records are not applied, as Go, containerd and bsdtar read them (GNU tar would)', async () => {
    const g = await list('node-tar/global-header.tar');
    expect(g.lines).toEqual(['- 1 -rw-r--r-- one-byte.txt']);
    expect(g.codes).toEqual(['tar-pax-global-ignored', 'tar-pax-global-ignored']);
    expect((await list('go-archive-tar/pax-global-records.tar')).lines).toEqual([
      '- 0 ---------- file1', '- 0 ---------- file2', '- 0 ---------- file3', '- 0 ---------- file4',
    ]);
  });
});
