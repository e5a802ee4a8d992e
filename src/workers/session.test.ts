// What the engine answers the page about dive's test image, loaded as the page loads it: the
// report, tree rows, a file's details and history, where a path sits in the list, the largest
// files and directories, findings. Paths are compared without a leading '/'.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TarImageSource } from '../core/source/archive-source';
import { BlobByteSource } from '../core/source/blob-source';
import type { TreeRowsRequest } from '../core/views/types';
import { toImageId, type ImageId } from '../core/types';
import { DIVE_DIR, diveFixture, haveDive, SKIP_DIVE } from '../../test/shared-fixtures';
import { Loader } from './loader';
import type { EngineEvent } from './protocol';

const bare = (p: string) => p.replace(/^\/+/, '');

describe.skipIf(!haveDive)(`Session on dive's test image${SKIP_DIVE}`, () => {
  let loader: Loader;
  let imageId: ImageId = toImageId('');
  let rows: TreeRowsRequest;

  beforeAll(async () => {
    const events: EngineEvent[] = [];
    loader = new Loader((e) => events.push(e));
    await loader.load(1, [new TarImageSource(new BlobByteSource(await diveFixture('test-docker-image.tar')), 'test-docker-image.tar')]);
    const summary = events.findLast((e) => e.type === 'summary');
    imageId = summary?.type === 'summary' ? summary.summary.images[0]!.id : toImageId('');
    rows = {
      imageId, view: { mode: 'final', layer: 13 }, expanded: [], expandAll: false, sort: 'name', offset: 0, limit: 50,
      filter: { text: '', regex: false, minSize: 0, show: { added: true, modified: true, meta: true, removed: true, unchanged: true } },
    };
  });

  it('the report has dive\'s image figures', async () => {
    const dive = JSON.parse(await readFile(join(DIVE_DIR, 'expected/test-docker-image.export.json'), 'utf8'));
    const report = loader.session.answer({ kind: 'report', imageId });
    expect(report.image).toEqual(dive.image);
  });

  it('tree rows of the final root, with sizes', () => {
    const answer = loader.session.answer({ kind: 'treeRows', request: rows });
    expect(answer.total).toBe(9);
    expect(answer.rows.map((r) => [r.name, r.type, r.size])).toEqual([
      ['bin', 'd', 1153344], ['dev', 'd', 0], ['etc', 'd', 1017], ['home', 'd', 0], ['root', 'd', 21402],
      ['somefile.txt', '-', 6405], ['tmp', 'd', 6405], ['usr', 'd', 0], ['var', 'd', 0],
    ]);
  });

  it('details of /root/saved.txt: moved in by layer 7, made executable by layer 13', () => {
    const d = loader.session.answer({ kind: 'details', imageId, view: rows.view, path: 'root/saved.txt' });
    expect(d).toMatchObject({
      type: '-', size: 6405, mode: 0o755,
      history: [{ layer: 7, change: 'added', size: 6405 }, { layer: 13, change: 'meta', size: 6405 }],
    });
  });

  it('row of /root/saved.txt with /root expanded: after the five top directories and two dot entries', () => {
    expect(loader.session.answer({ kind: 'rowOf', request: { ...rows, expanded: ['root'] }, path: 'root/saved.txt' })).toBe(7);
  });

  it('largest files and directories', () => {
    const l = loader.session.answer({ kind: 'largest', imageId, limit: 2 });
    expect(l.files.map((f) => [bare(f.path), f.size, f.layer])).toEqual([['bin/[', 1075464, 0], ['bin/getconf', 77880, 0]]);
    expect(l.dirs.map((d) => [bare(d.path), d.size, d.files])).toEqual([['bin', 1153344, 394], ['root', 21402, 5]]);
  });

  it('findings name the copies of somefile.txt and the step that made each', () => {
    const f = loader.session.answer({ kind: 'findings', imageId });
    expect(f.slice(0, 2).map((x) => [x.kind, x.bytes, x.layer, x.paths.map(bare), x.step])).toEqual([
      ['duplicate-content', 6405, 8, ['root/.saved.txt'], 'RUN cp /root/saved.txt /root/.saved.txt'],
      ['duplicate-content', 6405, 11, ['tmp/saved.again1.txt'], 'RUN cp /root/saved.txt /tmp/saved.again1.txt'],
    ]);
  });

  it('an image not in the load is an error naming it', () => {
    expect(() => loader.session.answer({ kind: 'packages', imageId: toImageId('sha256:0') })).toThrow('no image sha256:0 in this load');
  });
});

describe('Session lineDiff', () => {
  it('answers the line diff of two texts off the page\'s thread, null past the edit cap', () => {
    const session = new Loader(() => undefined).session;
    expect(session.answer({ kind: 'lineDiff', a: 'torch==2.4.0\nnumpy==1.26.4\n', b: 'torch==2.4.0\nnumpy==2.0.0\n' })).toEqual({
      rows: [
        { sign: ' ', a: 1, b: 1, text: 'torch==2.4.0' },
        { sign: '-', a: 2, b: null, text: 'numpy==1.26.4' },
        { sign: '+', a: null, b: 2, text: 'numpy==2.0.0' },
      ],
      added: 1,
      removed: 1,
    });
    const many = (tag: string) => Array.from({ length: 1200 }, (_, i) => `${tag} ${i}`).join('\n');
    expect(session.answer({ kind: 'lineDiff', a: many('a'), b: many('b') })).toBeNull();
  });
});
