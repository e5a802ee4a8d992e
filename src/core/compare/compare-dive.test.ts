// dive's test image built by two real tools (docker and kaniko) from one Dockerfile: the layers
// pair step by step although no diff_id agrees. Expected values checked with GNU tar listings of
// both archives' layers (`tar -tvf`): tag.sh is 0775 under docker and 0755 under kaniko; the
// .scripts copy holds test.sh in one and test-coverage.sh in the other.
import { describe, expect, it } from 'vitest';
import { analyseImage } from '../analysis/analyse-image';
import { readArchive } from '../pipeline/read-archive';
import { diveFixture, haveDive, SKIP_DIVE } from '../../../test/shared-fixtures';
import { compareImages, type CompareInput } from './compare-images';
import { compareReport } from './report';

async function open(name: string): Promise<CompareInput> {
  const r = await readArchive(await diveFixture(name), { name });
  return { name, image: r.images[0]!, analysis: analyseImage(r.images[0]!, r.results) };
}

describe.skipIf(!haveDive)(`compare on dive's images${SKIP_DIVE}`, () => {
  it('pairs the docker and kaniko builds of one Dockerfile step by step', async () => {
    const r = compareReport(compareImages(await open('test-docker-image.tar'), await open('test-kaniko-image.tar')));
    expect(r.layers.map((l) => `${l.a?.index}/${l.b?.index} ${l.relation}`)).toEqual([
      '0/0 changed', '1/1 changed', '2/2 same-content', '3/3 changed', '4/4 changed', '5/5 changed', '6/6 changed',
      '7/7 changed', '8/8 changed', '9/9 same-content', '10/10 changed', '11/11 changed', '12/12 changed', '13/13 changed',
    ]);
    const at = (p: string) => r.paths.find((x) => x.path === p);
    expect(at('root/.data/tag.sh')).toEqual({ path: 'root/.data/tag.sh', change: 'metadata', type: '-', sizeA: 917, sizeB: 917 });
    expect(at('root/.data/test.sh')).toMatchObject({ change: 'removed', sizeA: 1270, sizeB: null });
    expect(at('root/.data/test-coverage.sh')).toMatchObject({ change: 'added', sizeA: null, sizeB: 1270 });
    expect(at('somefile.txt')).toMatchObject({ change: 'changed', sizeA: 6405, sizeB: 9249 });
    expect(r.history.map((h) => `${h.change} ${h.createdBy.trim()}`)).toEqual([
      'removed /bin/sh -c #(nop) ADD file:139c3708fb6261126453e34483abd8bf7b26ed16d952fd976994d68e72d93be2 in /somefile.txt',
      'added ADD README.md /somefile.txt',
      'removed /bin/sh -c #(nop) ADD dir:7ec14b81316baa1a31c38c97686a8f030c98cba2035c968412749e33e0c4427e in /root/.data/',
      'added ADD .scripts/ /root/.data/',
    ]);
    expect(r.config).toEqual([]);
    expect(r.pull.layersForBGivenA).toBe(14);
  });

  it('finds one OCI image stored uncompressed and as zstd the same image, and its eStargz copy same-content', async () => {
    const plain = await open('test-oci-uncompressed-image.tar');
    const zstd = compareReport(compareImages(plain, await open('test-oci-zstd-image.tar')));
    expect(zstd.layers.map((l) => l.relation)).toEqual(['shared']);
    expect(zstd.same).toBe(true);
    expect(zstd.pull.bytesForBGivenA).toBe(0);
    // eStargz appends its TOC to the layer tar: another diff_id, the same files.
    const estargz = compareReport(compareImages(plain, await open('test-oci-estargz-image.tar')));
    expect(estargz.layers.map((l) => l.relation)).toEqual(['same-content']);
    expect(estargz.paths).toEqual([]);
  });
});
