// Archives made to hurt: they must not crash, hang, pollute prototypes or escape the root, and what
// is valid in them stays readable.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { readArchive } from './read-archive';
import { indexLayer } from './index-layer';
import { entryPath } from '../index/layer-index';
import { analyseImage } from '../analysis/analyse-image';
import { FINAL } from '../merge';
import { writeDockerSave, writeTar } from '../../testing';

const blob = (b: Uint8Array) => new Blob([b as BlobPart]);

describe('hostile archives', () => {
  it('__proto__ and constructor as file names, HTML in labels: kept as plain data', async () => {
    const html = '<img src=x onerror="alert(1)">';
    const archive = await writeDockerSave([{
      tags: [`evil:${'x'}`],
      config: { Labels: { __proto__: html, constructor: 'c' } as unknown as Record<string, string>, Env: [`A=${html}`] },
      layers: [{ createdBy: `RUN echo ${html}`, files: [
        { path: '__proto__/polluted', content: 'x' }, { path: 'constructor', content: 'y' }, { path: `etc/${html}`, content: 'z' },
      ] }],
    }]);
    const r = await readArchive(blob(archive));
    const img = r.images[0]!;
    expect(img.record.layers[0]!.command).toBe(`RUN echo ${html}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const a = analyseImage(img, r.results);
    expect(a.merged.findPath('__proto__/polluted')).toBeGreaterThan(0);
    expect(a.merged.findPath(`etc/${html}`)).toBeGreaterThan(0);
    expect([...a.merged.listAll(FINAL)].length).toBe(5);
  });

  it('paths climbing out of the root stay under it, with a warning naming the entry', async () => {
    const archive = await writeTar([{ path: '../../../etc/passwd', content: 'root::0:0' }, { path: 'ok', content: 'fine' }]);
    const r = await indexLayer(blob(archive).stream(), { layer: 0 });
    expect(Array.from({ length: r.entries.count }, (_, i) => entryPath(r.entries, i))).toEqual(['etc/passwd', 'ok']);
    expect(r.warnings.find((w) => w.code === 'tar-path-escape')?.entry).toBe('../../../etc/passwd');
  });

  it('a decompression bomb is stopped with a warning, the entries before it kept', async () => {
    const tar = await writeTar([{ path: 'first', content: 'ok' }, { path: 'zeros', size: 8 << 20 }]);
    const bomb = gzipSync(tar, { level: 9 });
    const r = await indexLayer(blob(bomb).stream(), { layer: 2, bomb: { minBytes: 1 << 20, ratio: 100 } });
    expect(r.complete).toBe(false);
    expect(r.warnings.find((w) => w.code === 'layer-bomb')).toMatchObject({ layer: 2 });
    expect(entryPath(r.entries, 0)).toBe('first');
  });

  it('a hundred thousand tiny entries index into columns without trouble', async () => {
    const files = Array.from({ length: 100_000 }, (_, i) => ({ path: `d${i % 100}/f${i}`, content: '' }));
    const r = await indexLayer(blob(await writeTar(files)).stream());
    expect(r.files).toBe(100_000);
    expect(r.entries.path).toBeInstanceOf(Uint32Array);
  });

  it('a symlink loop in the outer archive is refused with a reason, not followed forever', async () => {
    const archive = await writeTar([
      { path: 'manifest.json', type: 'symlink', linkname: 'index.json' },
      { path: 'index.json', type: 'symlink', linkname: 'manifest.json' },
      { path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    ]);
    const r = await readArchive(blob(archive), { name: 'loop.tar' });
    // neither name resolves to a file: it is read as a plain tar, and says so
    expect(r.summary.format).toBe('plain-tar');
  });
});
