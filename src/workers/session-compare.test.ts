// The engine's compare queries on a real Session holding two archives, as the page drops them:
// the same figures the CLI reports (src/core/compare/compare-images.test.ts states them in full).
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPARE_V1, COMPARE_V2, writeDockerSave } from '../testing';
import { readArchive } from '../core/pipeline/read-archive';
import type { ImageId } from '../core/types';
import { Session } from './session';

let session: Session;
let v1: ImageId;
let v2: ImageId;

beforeAll(async () => {
  session = new Session();
  const read = async (spec: typeof COMPARE_V1, name: string) => readArchive(new Blob([(await writeDockerSave([spec])) as BlobPart]), { name });
  v1 = session.addArchive(await read(COMPARE_V1, 'v1.tar'))[0]!.imageId;
  v2 = session.addArchive(await read(COMPARE_V2, 'v2.tar'))[0]!.imageId;
});

describe('compare queries', () => {
  it('answers the summary with the largest paths, and the path windows', () => {
    const s = session.answer({ kind: 'compare', pair: { a: v1, b: v2 }, pathLimit: 2 });
    expect([s.a.name, s.b.name]).toEqual(['shop:1.0', 'shop:2.0']);
    expect(s.layers.map((l) => l.relation)).toEqual(['shared', 'changed', 'same-content', 'only-b', 'changed', 'only-a', 'changed', 'changed']);
    expect(s.paths.map((p) => p.path)).toEqual(['usr/local/lib/python3.12/site-packages/numpy/__init__.py', 'usr/bin/curl']);
    expect(s.pathsTotal).toBeGreaterThan(2);
    expect(s.packages.find((p) => p.name === 'requests')).toMatchObject({ change: 'upgraded', versionA: '2.31.0', versionB: '2.32.3' });
    const w = session.answer({ kind: 'comparePaths', pair: { a: v1, b: v2 }, request: { changes: ['metadata'], text: '', offset: 0, limit: 10 } });
    expect(w.rows.map((r) => r.path)).toEqual(['usr/local/bin/tool', 'var/lib/app']);
  });

  it('recomputes for other options and names an image it does not hold', () => {
    const withMtime = session.answer({ kind: 'comparePaths', pair: { a: v1, b: v2, includeMtime: true }, request: { changes: ['metadata'], text: 'app/main', offset: 0, limit: 10 } });
    expect(withMtime.rows.map((r) => r.path)).toEqual(['app/main.py']);
    expect(() => session.answer({ kind: 'compare', pair: { a: v1, b: 'sha256:nope' as ImageId }, pathLimit: 1 })).toThrow(/no image sha256:nope/);
  });
});
