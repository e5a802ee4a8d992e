// Two versions of one image written by the fixture writer (src/testing/compare-images.ts) with every
// difference the report names; expected values are worked out from that file by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseImage } from '../analysis/analyse-image';
import { readArchive, type ArchiveResult } from '../pipeline/read-archive';
import { buildImage, COMPARE_V1, COMPARE_V2, writeDockerSave, type ImageSpec } from '../../testing';
import { compareImages, type CompareInput, type CompareOptions } from './compare-images';
import { compareReport } from './report';
import { compareMarkdown } from './markdown';
import { ComparePathWindows, compareSummary } from './windows';
import type { CompareReport } from './types';

async function load(specs: ImageSpec[]): Promise<ArchiveResult> {
  return readArchive(new Blob([await writeDockerSave(specs) as BlobPart]), { name: 'both.tar' });
}

function input(r: ArchiveResult, k: number): CompareInput {
  return { name: `both.tar#${k}`, image: r.images[k]!, analysis: analyseImage(r.images[k]!, r.results) };
}

let both: ArchiveResult;
let report: CompareReport;
const run = (opts?: CompareOptions, a = 0, b = 1) => compareReport(compareImages(input(both, a), input(both, b), opts));

beforeAll(async () => {
  both = await load([COMPARE_V1, COMPARE_V2]);
  report = run();
});

describe('compare v1 with v2', () => {
  it('aligns the layers: shared base, rebuilt steps, a timestamp-only rebuild, an inserted and a dropped layer', () => {
    expect(report.layers.map((l) => [l.a?.index ?? null, l.b?.index ?? null, l.relation])).toEqual([
      [0, 0, 'shared'],
      [1, 1, 'changed'],
      [2, 2, 'same-content'],
      [null, 3, 'only-b'],
      [3, 4, 'changed'],
      [4, null, 'only-a'],
      [5, 5, 'changed'],
      [6, 6, 'changed'],
    ]);
    const curl = report.layers[3]!;
    expect(curl.b).toMatchObject({ index: 3, command: 'RUN /bin/sh -c apt-get install -y curl # buildkit', sizeBytes: 9297 });
    expect(curl.b!.diffId).toMatch(/^sha256:[0-9a-f]{64}$/);
    // usr/bin/curl (9000 B), var/lib/dpkg/status (266 B), var/lib/dpkg/info/curl.list (31 B).
    expect(curl.directories).toEqual([
      { path: 'usr', sizeA: 0, sizeB: 9000, delta: 9000 },
      { path: 'usr/bin', sizeA: 0, sizeB: 9000, delta: 9000 },
      { path: 'var', sizeA: 0, sizeB: 297, delta: 297 },
      { path: 'var/lib', sizeA: 0, sizeB: 297, delta: 297 },
      { path: 'var/lib/dpkg', sizeA: 0, sizeB: 297, delta: 297 },
      { path: 'var/lib/dpkg/info', sizeA: 0, sizeB: 31, delta: 31 },
    ]);
    expect(report.layers[5]).toMatchObject({ relation: 'only-a', b: null, delta: -1500 });
  });

  it('counts the final files that were added, removed, changed and changed only in metadata', () => {
    expect(report.files).toMatchObject({
      countA: 31, countB: 31, added: 10, removed: 11, changed: 12, metadata: 1,
      addedBytes: 16_338, removedBytes: 56_811, ignored: 0, unhashed: 0,
    });
  });

  it('lists a directory replaced by a file, a new link target, a mode and an owner change, and no mtime-only change', () => {
    const at = (p: string) => report.paths.find((r) => r.path === p);
    expect(at('srv/data')).toEqual({ path: 'srv/data', change: 'changed', type: '-', typeA: 'd', sizeA: 5000, sizeB: 18 });
    expect(at('srv/data/a.bin')).toEqual({ path: 'srv/data/a.bin', change: 'removed', type: '-', sizeA: 2000, sizeB: null });
    expect(at('usr/bin/curl')).toEqual({ path: 'usr/bin/curl', change: 'added', type: '-', sizeA: null, sizeB: 9000 });
    expect(at('usr/local/bin/app')).toEqual({ path: 'usr/local/bin/app', change: 'changed', type: 'l', sizeA: 0, sizeB: 0 });
    expect(at('usr/local/bin/tool')).toEqual({ path: 'usr/local/bin/tool', change: 'metadata', type: '-', sizeA: 500, sizeB: 500 });
    expect(at('var/lib/app')).toMatchObject({ change: 'metadata', type: 'd' });
    expect(at('app/main.py')).toBeUndefined();
    expect(report.paths.every((p) => !p.path.startsWith('/'))).toBe(true);
    // tar order: parents first, siblings by name.
    const order = report.paths.map((p) => p.path);
    expect(order.indexOf('srv/data')).toBeLessThan(order.indexOf('srv/data/a.bin'));
    expect(order.indexOf('opt/legacy')).toBeLessThan(order.indexOf('srv/data'));
  });

  it('reports mtime changes when asked', () => {
    const withMtime = run({ includeMtime: true });
    expect(withMtime.paths.find((p) => p.path === 'app/main.py')).toMatchObject({ change: 'metadata' });
    expect(withMtime.files.metadata).toBeGreaterThan(report.files.metadata);
  });

  it('rolls sizes up per directory, largest change first', () => {
    expect(report.directories[0]).toEqual({ path: 'usr/local/lib/python3.12/site-packages/numpy', sizeA: 50_000, sizeB: 0, delta: -50_000 });
    const at = (p: string) => report.directories.find((d) => d.path === p);
    expect(at('srv/data')).toEqual({ path: 'srv/data', sizeA: 5000, sizeB: 0, delta: -5000 });
    expect(at('srv')).toEqual({ path: 'srv', sizeA: 5000, sizeB: 18, delta: -4982 });
    expect(at('usr/bin')).toEqual({ path: 'usr/bin', sizeA: 12_000, sizeB: 21_000, delta: 9000 });
    expect(at('app/__pycache__')).toEqual({ path: 'app/__pycache__', sizeA: 3200, sizeB: 3300, delta: 100 });
    const deltas = report.directories.map((d) => Math.abs(d.delta));
    expect(deltas).toEqual([...deltas].sort((x, y) => y - x));
  });

  it('diffs packages of every ecosystem by its own version order', () => {
    expect(report.packages.map((p) => [p.ecosystem, p.name, p.versionA, p.versionB, p.change, p.bytesA, p.bytesB])).toEqual([
      ['pip', 'numpy', '1.26.4', null, 'removed', 50_000, null],
      ['deb', 'curl', null, '7.88.1-10+deb12u5', 'added', null, 9000],
      ['pip', 'rich', null, '13.7.1', 'added', null, 7000],
      ['conda', 'numpy', '1.26.4', '2.0.0', 'upgraded', 10_000, 12_000],
      ['npm', 'express', '4.18.2', '4.21.0', 'upgraded', 2037, 2637],
      ['pip', 'requests', '2.31.0', '2.32.3', 'upgraded', 3000, 3500],
      ['pip', 'six', '1.16.0', '1.15.0', 'downgraded', 900, 800],
      ['apk', 'musl', '1.2.4-r2', '1.2.5-r0', 'upgraded', 600, 640],
      ['apk', 'busybox', '1.36.1-r15', '1.36.1-r2', 'downgraded', 800, 800],
      ['deb', 'libc6', '2.36-9+deb12u7', '2.36-9+deb12u10', 'upgraded', 20_000, 20_000],
    ]);
  });

  it('diffs every config field, Env and Labels by key', () => {
    expect(report.config).toEqual([
      { field: 'Entrypoint', a: ['python'], b: ['python', '-u'] },
      { field: 'Cmd', a: ['main.py'], b: ['serve.py'] },
      { field: 'User', a: '', b: 'app' },
      { field: 'WorkingDir', a: '/app', b: '/srv' },
      { field: 'ExposedPorts', a: ['8000/tcp'], b: ['8000/tcp', '9090/tcp'] },
      { field: 'Volumes', a: ['/data'], b: ['/cache', '/data'] },
      { field: 'StopSignal', a: 'SIGTERM', b: 'SIGINT' },
      { field: 'Env.DEBUG', a: null, b: '0' },
      { field: 'Env.LANG', a: 'C.UTF-8', b: null },
      { field: 'Env.MODEL_DIR', a: '/models/v1', b: '/models/v2' },
      { field: 'Labels.com.example.legacy', a: 'yes', b: null },
      { field: 'Labels.org.opencontainers.image.version', a: '1.0', b: '2.0' },
    ]);
  });

  it('lists the history steps added and removed', () => {
    expect(report.history.map((h) => `${h.change === 'added' ? '+' : '-'} ${h.createdBy}`)).toEqual([
      '- ENV LANG=C.UTF-8',
      '+ RUN /bin/sh -c apt-get install -y curl # buildkit',
      '- RUN /bin/sh -c install-legacy # buildkit',
      '- RUN /bin/sh -c ./build.sh --fast # buildkit',
      '+ RUN /bin/sh -c ./build.sh --release # buildkit',
      '- CMD ["main.py"]',
      '+ USER app',
      '+ CMD ["serve.py"]',
    ]);
  });

  it('prices the update by the stored bytes of the layers the other side lacks', async () => {
    // Docker stores layers as plain tars: a layer's stored size is its tar's length.
    const v1 = await buildImage(COMPARE_V1, 'none', 'none');
    const v2 = await buildImage(COMPARE_V2, 'none', 'none');
    const tars = (img: typeof v1) => img.layers.slice(1).reduce((s, l) => s + l.tar.byteLength, 0);
    expect(report.pull).toEqual({
      bytesForBGivenA: tars(v2), bytesForAGivenB: tars(v1), layersForBGivenA: 6, layersForAGivenB: 6,
    });
  });

  it('says what the update rebuilt: every layer of B from the first changed step up, with its bytes', async () => {
    const v2 = await buildImage(COMPARE_V2, 'none', 'none');
    expect(report.rebuilt.firstChangedStep).toEqual({ history: 1, layer: 1, command: 'RUN /bin/sh -c pip install -r requirements.txt # buildkit' });
    // The timestamp-only rebuild of COPY app (layer 2) has another diff_id: it is pushed and pulled again too.
    expect(report.rebuilt.layers.map((l) => [l.index, l.sizeBytes])).toEqual([[1, 11_545], [2, 4_015], [3, 9_297], [4, 2_637], [5, 14_106], [6, 3_300]]);
    expect(report.rebuilt).toMatchObject({ sizeBytes: 44_900, unchangedLayers: 0 });
    expect(report.rebuilt.storedBytes).toBe(v2.layers.slice(1).reduce((s, l) => s + l.tar.byteLength, 0));
    expect(run({}, 0, 0).rebuilt).toEqual({ firstChangedStep: null, layers: [], sizeBytes: 0, storedBytes: 0, unchangedLayers: 0 });
  });

  it('starts the rebuild at a changed ENV, and counts a layer that came out identical as rebuilt but not re-shipped', async () => {
    const base = { createdBy: 'RUN /bin/sh -c apt-get install -y tzdata # buildkit', files: [{ path: 'usr/share/zoneinfo/UTC', content: 'TZif2' }] };
    const app = { createdBy: 'COPY app/ /app/ # buildkit', files: [{ path: 'app/main.py', content: 'print("hi")\n' }] };
    const spec = (tz: string): ImageSpec => ({ tags: [`tz:${tz}`], layers: [base, app], emptySteps: [{ before: 1, createdBy: `ENV TZ=${tz}` }] });
    const r = await load([spec('UTC'), spec('Europe/Paris')]);
    const c = compareReport(compareImages(input(r, 0), input(r, 1)));
    expect(c.rebuilt).toEqual({ firstChangedStep: { history: 1, layer: 1, command: 'ENV TZ=Europe/Paris' }, layers: [], sizeBytes: 0, storedBytes: 0, unchangedLayers: 1 });
    expect(compareMarkdown(c)).toContain("**Rebuilt by this update:** from B's step `ENV TZ=Europe/Paris` (layer 1) up, nothing to push or pull again; 1 rebuilt layer came out identical.");
  });

  it('names what made B bigger: packages, directories and layers', () => {
    expect(report.growth.packages.map((p) => [p.name, p.delta])).toEqual([['curl', 9000], ['rich', 7000], ['numpy', 2000], ['express', 600], ['requests', 500]]);
    expect(report.growth.directories.map((d) => d.path)).toEqual([
      'usr/bin', 'usr/local/lib/python3.12/site-packages/rich', 'opt/conda/lib', 'app/node_modules/express', 'usr/local/lib/python3.12/site-packages/requests',
    ]);
    expect(report.growth.layers.map((l) => [l.index, l.delta])).toEqual([[3, 9297], [4, 600], [6, 100]]);
  });

  it('drops ignored paths from the listing and the sizes', () => {
    const r = run({ ignore: ['__pycache__', 'usr/local/lib/**'] });
    expect(r.paths.some((p) => p.path.includes('__pycache__') || p.path.startsWith('usr/local/lib/'))).toBe(false);
    expect(r.paths.find((p) => p.path === 'usr/local/bin/tool')).toBeDefined();
    expect(r.files.ignored).toBe(2);
    expect(r.directories.find((d) => d.path === 'app')).toEqual({ path: 'app', sizeA: 2037 + 4015, sizeB: 2637 + 4015, delta: 600 });
  });

  it('says the opposite when the sides swap', () => {
    const back = run({}, 1, 0);
    const flip: Record<string, string> = { added: 'removed', removed: 'added', upgraded: 'downgraded', downgraded: 'upgraded', 'only-a': 'only-b', 'only-b': 'only-a' };
    const swapped = (c: string) => flip[c] ?? c;
    expect(back.layers.map((l) => [l.a?.index ?? null, l.b?.index ?? null, l.relation]).sort())
      .toEqual(report.layers.map((l) => [l.b?.index ?? null, l.a?.index ?? null, swapped(l.relation)]).sort());
    expect(back.paths.map((p) => `${p.path} ${p.change}`).sort()).toEqual(report.paths.map((p) => `${p.path} ${swapped(p.change)}`).sort());
    expect(back.packages.map((p) => `${p.ecosystem} ${p.name} ${p.change}`).sort()).toEqual(report.packages.map((p) => `${p.ecosystem} ${p.name} ${swapped(p.change)}`).sort());
    expect(back.pull).toEqual({ bytesForBGivenA: report.pull.bytesForAGivenB, bytesForAGivenB: report.pull.bytesForBGivenA, layersForBGivenA: 6, layersForAGivenB: 6 });
    expect(back.config.map((c) => [c.field, c.b, c.a])).toEqual(report.config.map((c) => [c.field, c.a, c.b]));
  });

  it('calls an image compared with itself the same', () => {
    const r = run({}, 0, 0);
    expect(r.same).toBe(true);
    expect(r.layers.every((l) => l.relation === 'shared')).toBe(true);
    expect([r.paths, r.packages, r.config, r.history, r.directories]).toEqual([[], [], [], [], []]);
    expect(r.pull).toEqual({ bytesForBGivenA: 0, bytesForAGivenB: 0, layersForBGivenA: 0, layersForAGivenB: 0 });
  });

  it('writes Markdown under 60 KB with the largest items first', () => {
    const md = compareMarkdown(report);
    expect(md.length).toBeLessThan(60_000);
    expect(md).toContain('### Image compare: `shop:1.0` → `shop:2.0`');
    expect(md).toMatch(/\| removed \| `\/usr\/local\/lib\/python3\.12\/site-packages\/numpy\/__init__\.py` \| 50\.0 kB \|  \|/);
    expect(md.indexOf('numpy/__init__.py')).toBeLessThan(md.indexOf('/usr/bin/curl'));
  });
});

describe('what the page asks of a comparison', () => {
  it('windows the differing paths by change and text, in tar order', () => {
    const w = new ComparePathWindows(compareImages(input(both, 0), input(both, 1)));
    const added = w.window({ changes: ['added'], text: '', offset: 0, limit: 3 });
    // 10 files and 4 directories (rich, and the three new .dist-info directories).
    expect(added.total).toBe(14);
    expect(added.rows.map((r) => r.path)).toEqual(['opt/conda/conda-meta/numpy-2.0.0-py312_0.json', 'usr/bin/curl', 'usr/local/lib/python3.12/site-packages/requests-2.32.3.dist-info']);
    const srv = w.window({ changes: ['removed', 'changed'], text: 'srv', offset: 1, limit: 10 });
    expect(srv).toEqual({
      total: 3, offset: 1, rows: [
        { path: 'srv/data/a.bin', change: 'removed', type: '-', sizeA: 2000, sizeB: null },
        { path: 'srv/data/b.bin', change: 'removed', type: '-', sizeA: 3000, sizeB: null },
      ],
    });
  });

  it('summarises with only the largest paths and says how many differ', () => {
    const s = compareSummary(compareImages(input(both, 0), input(both, 1)), 2);
    expect(s.pathsTotal).toBe(report.paths.length);
    expect(s.paths.map((p) => p.path)).toEqual(['usr/local/lib/python3.12/site-packages/numpy/__init__.py', 'usr/bin/curl']);
    expect(s.packages).toEqual(report.packages);
  });
});

describe('compare across platforms', () => {
  it('names the platform as a config difference', async () => {
    const layer = { createdBy: 'COPY x /', files: [{ path: 'x', content: 'x' }] };
    const r = await load([{ tags: ['p:amd64'], layers: [layer] }, { tags: ['p:arm64'], layers: [layer], platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }]);
    const c = compareReport(compareImages(input(r, 0), input(r, 1)));
    expect(c.config).toEqual([{ field: 'platform', a: 'linux/amd64', b: 'linux/arm64/v8' }]);
    expect(c.layers.map((l) => l.relation)).toEqual(['shared']);
    expect(c.same).toBe(false);
  });
});
