// Every archive kind our fixture writer makes, read by content alone, plus the broken ones.
import { describe, expect, it } from 'vitest';
import { readArchive, type ArchiveResult } from './read-archive';
import { digestBlob, indexLayer } from './index-layer';
import { entryPath } from '../index/layer-index';
import { FormatError } from '../image/json';
import type { ByteSource } from '../source/types';
import { chunkedStream } from '../../../test/streams';
import {
  buildLayer, flipByte, truncate, wrap, writeDockerSave, writeDockerSaveOci, writeKaniko, writeOciLayout, writeTar,
  type ImageSpec, type LayerSpec,
} from '../../testing';

const base: LayerSpec = {
  createdBy: '/bin/sh -c #(nop) ADD file:base in /',
  files: [
    { path: 'etc/os-release', content: 'ID=debian\n' },
    { path: 'bin/sh', content: 'shell', mode: 0o755 },
  ],
};
const appA: LayerSpec = { createdBy: 'COPY a /app', files: [{ path: 'app/a.py', content: 'print("a")\n' }] };
const appB: LayerSpec = { createdBy: 'COPY b /app', files: [{ path: 'app/b.py', content: 'print("b")\n' }] };
const imageA: ImageSpec = { tags: ['app:a'], layers: [base, appA], emptySteps: [{ before: 1, createdBy: 'ENV A=1' }] };
const imageB: ImageSpec = { tags: ['app:b'], layers: [base, appB] };

const blob = (bytes: Uint8Array) => new Blob([bytes as BlobPart]);
const paths = (r: ArchiveResult, image = 0, layer = 0) => {
  const e = r.images[image]!.layers[layer]!.entries;
  return Array.from({ length: e.count }, (_, i) => entryPath(e, i));
};
function allVerified(r: ArchiveResult) {
  return r.images.flatMap((i) => i.layers.map((l) => l.verification));
}

describe('readArchive on every layout', () => {
  it('docker save a b: both images, the shared base indexed once', async () => {
    const indexed: string[] = [];
    const r = await readArchive(blob(await writeDockerSave([imageA, imageB])), {
      runLayer: async (job) => { indexed.push(job.key); return indexLayer(job.source.stream(), { layer: job.layer }); },
    });
    expect(r.summary.format).toBe('docker-save');
    expect(r.images.map((i) => i.record.tags)).toEqual([['app:a'], ['app:b']]);
    expect(indexed.length).toBe(3);
    expect(r.images[0]!.layers[0]!.entries).toBe(r.images[1]!.layers[0]!.entries);
    expect(allVerified(r)).toEqual(['verified', 'verified', 'verified', 'verified']);
    expect(r.images[0]!.record.history.map((h) => [h.createdBy, h.layer])).toEqual([
      [base.createdBy, 0], ['ENV A=1', null], ['COPY a /app', 1],
    ]);
  });

  it('podman: layer.tar symlinks to ../<digest>.tar are followed', async () => {
    const r = await readArchive(blob(await writeDockerSave([imageA], { podmanSymlinks: true })));
    expect(r.summary.format).toBe('docker-save');
    expect(paths(r, 0, 1)).toContain('app/a.py');
    expect(allVerified(r)).toEqual(['verified', 'verified']);
  });

  it('Docker 25+ save (OCI layout inside, plus manifest.json)', async () => {
    const r = await readArchive(blob(await writeDockerSaveOci([imageA, imageB])));
    expect(r.summary.format).toBe('docker-save-oci');
    expect(r.images.length).toBe(2);
    expect(allVerified(r).every((v) => v === 'verified')).toBe(true);
  });

  it('kaniko: manifest.json last, gzip layers', async () => {
    const r = await readArchive(blob(await writeKaniko(imageA)));
    expect(r.summary.format).toBe('kaniko');
    expect(r.images[0]!.layers.map((l) => l.compression)).toEqual(['gzip', 'gzip']);
    expect(allVerified(r)).toEqual(['verified', 'verified']);
  });

  it('OCI multi-platform index: linux/amd64 by default, the others listed, attestations counted', async () => {
    const amd: ImageSpec = { ...imageA, platform: { os: 'linux', architecture: 'amd64' } };
    const arm: ImageSpec = { ...imageB, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } };
    const archive = blob(await writeOciLayout([arm, amd], { multiPlatform: true, attestation: true, nestedIndex: true }));
    const r = await readArchive(archive);
    expect(r.images.length).toBe(1);
    expect(r.images[0]!.record.platform).toMatchObject({ os: 'linux', architecture: 'amd64' });
    expect(r.summary.otherPlatforms.map((p) => p.platform.architecture)).toEqual(['arm64']);
    expect(r.summary.attestations).toBeGreaterThan(0);
    const arm64 = await readArchive(archive, { platform: 'linux/arm64' });
    expect(paths(arm64, 0, 1)).toContain('app/b.py');
    await expect(readArchive(archive, { platform: 'linux/s390x' })).rejects.toThrow(/linux\/s390x is not in this archive/);
  });

  it.each(['gzip', 'zstd'] as const)('an archive wrapped in %s is read in one streaming pass', async (how) => {
    const r = await readArchive(blob(wrap(await writeDockerSave([imageA, imageB]), how)));
    expect(r.summary.outerCompression).toBe(how);
    expect(r.images.length).toBe(2);
    expect(allVerified(r).every((v) => v === 'verified')).toBe(true);
    expect(paths(r, 1, 1)).toContain('app/b.py');
  });

  it.each(['gzip', 'zstd', 'estargz'] as const)('OCI layers compressed with %s verify', async (compression) => {
    const r = await readArchive(blob(await writeOciLayout([{ ...imageA, layers: [{ ...base, compression }, { ...appA, compression }] }])));
    expect(r.images[0]!.layers.map((l) => l.compression)).toEqual(compression === 'zstd' ? ['zstd', 'zstd'] : ['gzip', 'gzip']);
    expect(allVerified(r)).toEqual(['verified', 'verified']);
  });

  it('a plain filesystem tar opens as one layer and says so', async () => {
    const r = await readArchive(blob(await writeTar([{ path: 'etc/hostname', content: 'box\n' }])), { name: 'export.tar' });
    expect(r.summary.format).toBe('plain-tar');
    expect(r.summary.warnings[0]!.message).toMatch(/export\.tar is a plain tar, not an image/);
    expect(paths(r)).toEqual(['etc/hostname']);
  });
});

describe('readArchive on bad input', () => {
  it.each([
    ['an empty file', new Uint8Array(0), /is empty/],
    ['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(600).fill(1)]), /PNG image/],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251), /not a tar archive/],
  ])('%s is refused at once with a reason', async (_what, bytes, reason) => {
    const err = await readArchive(blob(bytes), { name: 'x.tar' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toMatch(reason);
  });

  it('a flipped byte inside a layer is a loud digest mismatch naming the layer, not a crash', async () => {
    const good = await writeDockerSave([imageA]);
    const at = indexOf(good, new TextEncoder().encode('print("a")')) + 3; // inside app/a.py's body
    const r = await readArchive(blob(flipByte(good, at)));
    expect(allVerified(r)).toEqual(['verified', 'mismatch']);
    const w = r.summary.warnings.find((x) => x.code === 'digest-mismatch')!;
    expect(w.layer).toBe(1);
    expect(w.message).toMatch(/diff_id/);
    expect(paths(r, 0, 1)).toContain('app/a.py');
  });

  it('a truncated gzip layer keeps the entries read before and warns with the offset', async () => {
    const files = Array.from({ length: 40 }, (_, i) => ({ path: `data/f${i}`, content: `file ${i} `.repeat(200) }));
    const layer = await buildLayer({ createdBy: 'x', files, compression: 'gzip' });
    const cut = truncate(layer.blob, Math.floor(layer.blob.length / 2));
    const r = await indexLayer(blob(cut).stream(), { layer: 3 });
    expect(r.complete).toBe(false);
    expect(r.entries.count).toBeGreaterThan(2);
    expect(r.entries.count).toBeLessThan(files.length + 1);
    const w = r.warnings.find((x) => /gzip/.test(x.code))!;
    expect(w.layer).toBe(3);
    expect(typeof w.offset).toBe('number');
  });
});

describe('indexLayer in chunks', () => {
  it.each([1, 7, 512])('gives the same index fed %i bytes at a time as whole', async (size) => {
    const layer = await buildLayer({ createdBy: 'x', compression: 'gzip', files: [
      { path: 'a/b/c.txt', content: 'hello '.repeat(300) }, { path: 'a/.wh.gone' }, { path: 'a/d/.wh..wh..opq' },
      { path: 'a/link', type: 'symlink', linkname: 'b/c.txt' },
    ] });
    const whole = await indexLayer(blob(layer.blob).stream());
    const chunked = await indexLayer(chunkedStream(layer.blob, size));
    expect(chunked.diffId).toBe(layer.diffId);
    expect(chunked.blobDigest).toBe(layer.digest);
    expect(Array.from(chunked.entries.hash)).toEqual(Array.from(whole.entries.hash));
    expect(Array.from(chunked.entries.kind)).toEqual(Array.from(whole.entries.kind));
    const list = (r: typeof whole) => Array.from({ length: r.entries.count }, (_, i) => entryPath(r.entries, i));
    expect(list(chunked)).toEqual(list(whole));
    // the whiteout and the opaque marker are kinds, never files
    expect(list(whole)).toContain('a/gone');
    expect(list(whole)).not.toContain('a/.wh.gone');
    expect(whole.entries.hash.some((h) => h !== 0)).toBe(true);
  });
});


function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}

describe('quick header-only pass', () => {
  it('hands over every layer of an uncompressed archive before any body is streamed, with the full pass\'s entries', async () => {
    const events: string[] = [];
    let quick: ArchiveResult['images'] = [];
    let quickSeen!: () => void;
    const seen = new Promise<void>((resolve) => { quickSeen = resolve; });
    const r = await readArchive(blob(await writeDockerSave([imageA, imageB])), {
      onQuickIndex: (images) => { events.push('quick'); quick = images; quickSeen(); },
      onLayer: () => events.push('layer'),
      // The full pass is held until the quick index is out: it must not depend on the full pass.
      runLayer: async (job) => { await seen; return indexLayer(job.source.stream(), { layer: job.layer }); },
    });
    expect(events[0]).toBe('quick');
    expect(events.filter((e) => e === 'layer').length).toBe(3);
    for (const [i, img] of r.images.entries()) {
      img.layers.forEach((full, j) => {
        const q = quick[i]!.layers[j]!;
        expect(Array.from({ length: q.entries.count }, (_, k) => entryPath(q.entries, k))).toEqual(
          Array.from({ length: full.entries.count }, (_, k) => entryPath(full.entries, k)));
        expect(Array.from(q.entries.size)).toEqual(Array.from(full.entries.size));
        expect(q.verification).toBe('unverifiable');
        expect(full.verification).toBe('verified');
      });
    }
  });

  it('is skipped when layers are compressed: only the full pass reports', async () => {
    let called = false;
    await readArchive(blob(await writeKaniko(imageA)), { onQuickIndex: () => { called = true; } });
    expect(called).toBe(false);
  });
});

describe('verify: false', () => {
  it('indexes and content-hashes every layer without checking digests', async () => {
    const r = await readArchive(blob(await writeOciLayout([{ ...imageA, layers: [{ ...base, compression: 'gzip' }, appA] }])), { verify: false });
    expect(allVerified(r)).toEqual(['unverifiable', 'unverifiable']);
    const e = r.images[0]!.layers[1]!.entries;
    expect(e.hash.some((h) => h !== 0)).toBe(true);
    expect(paths(r, 0, 1)).toContain('app/a.py');
  });
});

describe('blob digests as separate jobs (the browser pool)', () => {
  const runDigest = (job: { source: ByteSource }) => digestBlob(job.source.stream());

  it.each(['docker', 'oci-gzip', 'kaniko'])('%s: every layer verifies with digests hashed beside the index', async (kind) => {
    const bytes = kind === 'docker' ? await writeDockerSave([imageA, imageB])
      : kind === 'kaniko' ? await writeKaniko(imageA)
      : await writeOciLayout([{ ...imageA, layers: [{ ...base, compression: 'gzip' }, { ...appA, compression: 'gzip' }] }]);
    const digested: string[] = [];
    const r = await readArchive(blob(bytes), { runDigest: (job) => { digested.push(job.key); return runDigest(job); } });
    expect(allVerified(r).every((v) => v === 'verified')).toBe(true);
    expect(digested.length).toBe(r.results.size);
  });

  it('a flipped byte is still a mismatch', async () => {
    const good = await writeDockerSave([imageA]);
    const at = indexOf(good, new TextEncoder().encode('print("a")')) + 3;
    const r = await readArchive(blob(flipByte(good, at)), { runDigest });
    expect(allVerified(r)).toEqual(['verified', 'mismatch']);
  });
});
