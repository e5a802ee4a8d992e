import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IMAGE_A, IMAGE_B } from './fixtures-for-tests';
import { listNames, readJson, readMember } from './gnu-tar';
import { writeKaniko, writeOciLayout } from './oci-layout';

const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Desc { mediaType: string; digest: string; size: number; platform?: { os: string; architecture: string; variant?: string }; annotations?: Record<string, string> }
interface Index { mediaType: string; manifests: Desc[] }
interface Manifest { mediaType: string; config: Desc; layers: Desc[] }

/** Reads a blob and checks its digest and size against the descriptor that named it. */
function blob(archive: Uint8Array, d: Desc): Uint8Array {
  const bytes = readMember(archive, `blobs/sha256/${d.digest.slice('sha256:'.length)}`);
  expect(`sha256:${hex(bytes)}`).toBe(d.digest);
  expect(bytes.byteLength).toBe(d.size);
  return bytes;
}

const json = <T>(b: Uint8Array): T => JSON.parse(Buffer.from(b).toString()) as T;

/** Walks manifest -> config -> layers, checking gzip layers decompress to their diff_ids. */
function verifyImage(archive: Uint8Array, d: Desc): { os: string; architecture: string } {
  const m = json<Manifest>(blob(archive, d));
  const config = json<{ os: string; architecture: string; rootfs: { diff_ids: string[] } }>(blob(archive, m.config));
  m.layers.forEach((l, i) => {
    const bytes = blob(archive, l);
    expect(l.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(`sha256:${hex(gunzipSync(bytes))}`).toBe(config.rootfs.diff_ids[i]);
  });
  return config;
}

describe('writeOciLayout', () => {
  it('writes oci-layout, index.json and content-addressed blobs with gzip layers', async () => {
    const archive = await writeOciLayout([IMAGE_A]);
    const names = listNames(archive);
    expect(names.filter((n) => !/^blobs\/sha256\/[0-9a-f]{64}$/.test(n))).toEqual(['blobs/', 'blobs/sha256/', 'index.json', 'oci-layout']);
    expect(readJson(archive, 'oci-layout')).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = readJson<Index>(archive, 'index.json');
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0]!.annotations).toEqual({ 'org.opencontainers.image.ref.name': 'a' });
    expect(verifyImage(archive, index.manifests[0]!)).toMatchObject({ os: 'linux', architecture: 'amd64' });
  });

  it('multiPlatform: one index whose manifests carry each image spec\'s platform', async () => {
    const archive = await writeOciLayout([IMAGE_A, IMAGE_B], { multiPlatform: true });
    const index = readJson<Index>(archive, 'index.json');
    expect(index.manifests.map((m) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    expect(index.manifests.map((m) => verifyImage(archive, m).architecture)).toEqual(['amd64', 'arm64']);
  });

  it('nestedIndex + attestation: index.json -> index -> manifests, attestations marked unknown/unknown', async () => {
    const archive = await writeOciLayout([IMAGE_A, IMAGE_B], { multiPlatform: true, nestedIndex: true, attestation: true });
    const top = readJson<Index>(archive, 'index.json');
    expect(top.manifests).toHaveLength(1);
    expect(top.manifests[0]!.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const inner = json<Index>(blob(archive, top.manifests[0]!));
    const images = inner.manifests.filter((m) => m.platform?.os !== 'unknown');
    const attestations = inner.manifests.filter((m) => m.platform?.os === 'unknown');
    expect(images.map((m) => m.platform?.architecture)).toEqual(['amd64', 'arm64']);
    expect(attestations).toHaveLength(2);
    for (const [i, a] of attestations.entries()) {
      expect(a.annotations?.['vnd.docker.reference.type']).toBe('attestation-manifest');
      expect(a.annotations?.['vnd.docker.reference.digest']).toBe(images[i]!.digest);
      const m = json<Manifest>(blob(archive, a));
      expect(m.layers[0]!.mediaType).toBe('application/vnd.in-toto+json');
    }
  });

  it('honours a zstd layer spec with the OCI zstd media type', async () => {
    const spec = { ...IMAGE_A, layers: IMAGE_A.layers.map((l) => ({ ...l, compression: 'zstd' as const })) };
    const archive = await writeOciLayout([spec]);
    const index = readJson<Index>(archive, 'index.json');
    const m = json<Manifest>(blob(archive, index.manifests[0]!));
    expect(m.layers.map((l) => l.mediaType)).toEqual(['application/vnd.oci.image.layer.v1.tar+zstd', 'application/vnd.oci.image.layer.v1.tar+zstd']);
    expect(listNames(blob(archive, m.layers[0]!), 'zstd')).toContain('bin/busybox');
  });
});

describe('writeKaniko', () => {
  it('writes the config as sha256:<hex>, layers as <digest>.tar.gz, and manifest.json last', async () => {
    const archive = await writeKaniko(IMAGE_A);
    const names = listNames(archive);
    expect(names.at(-1)).toBe('manifest.json');
    const [item] = readJson<{ Config: string; RepoTags: string[]; Layers: string[] }[]>(archive, 'manifest.json');
    expect(item!.RepoTags).toEqual(['app:a']);
    expect(names[0]).toBe(item!.Config);
    expect(item!.Config).toBe(`sha256:${hex(readMember(archive, item!.Config))}`);
    const config = readJson<{ rootfs: { diff_ids: string[] } }>(archive, item!.Config);
    item!.Layers.forEach((name, i) => {
      const bytes = readMember(archive, name);
      expect(name).toBe(`${hex(bytes)}.tar.gz`);
      expect(`sha256:${hex(gunzipSync(bytes))}`).toBe(config.rootfs.diff_ids[i]);
    });
  });
});
