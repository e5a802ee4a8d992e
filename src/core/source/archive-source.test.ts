// An archive as an ImageSource: the images it lists, and each layer's bytes as the manifest's
// digest names them, whether the archive can be seeked (a slice of it) or only streamed (gzip
// around the whole archive).
import { describe, expect, it } from 'vitest';
import { buildLayer, sha256, wrap, writeDockerSave, writeOciLayout, writeTar, type ImageSpec } from '../../testing';
import { TarImageSource } from './archive-source';
import { BlobByteSource } from './blob-source';
import type { ImageSource } from './types';

const image: ImageSpec = {
  tags: ['app:1'],
  layers: [
    { createdBy: 'ADD base /', files: [{ path: 'etc/os-release', content: 'ID=debian\n' }] },
    { createdBy: 'COPY app /app', files: [{ path: 'app/main.py', content: 'print("hi")\n' }] },
  ],
};
/** What docker save stores for each layer: the uncompressed tar, named by its sha256. */
const tarDigests = () => Promise.all(image.layers.map(async (l) => (await buildLayer({ ...l, compression: 'none' })).digest));
const source = (bytes: Uint8Array, name = 'x.tar') => new TarImageSource(new BlobByteSource(new Blob([bytes as BlobPart])), name);
const all = async (s: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(s).arrayBuffer());

async function layerDigests(src: ImageSource) {
  const listing = await src.list();
  const plans = listing.images[0]!.layers;
  return {
    listing,
    declared: plans.map((p) => p.digest),
    read: await Promise.all(plans.map(async (p) => sha256(await all(src.layer(p).stream())))),
  };
}

describe('archive sources', () => {
  it('docker save: lists the image; each layer is the slice its digest names', async () => {
    const src = source(await writeDockerSave([image]));
    const { listing, read } = await layerDigests(src);
    expect(listing.format).toBe('docker-save');
    expect(listing.images[0]!.tags).toEqual(['app:1']);
    expect(read).toEqual(await tarDigests());
    const config = JSON.parse(new TextDecoder().decode(await src.read(listing.images[0]!.configEntry)));
    expect(config.history.map((h: { created_by: string }) => h.created_by)).toEqual(['ADD base /', 'COPY app /app']);
  });

  it('OCI layout with gzip layers: the stored (compressed) blobs hash to their digests', async () => {
    const src = source(await writeOciLayout([{ ...image, layers: image.layers.map((l) => ({ ...l, compression: 'gzip' as const })) }]));
    const { listing, declared, read } = await layerDigests(src);
    expect(listing.format).toBe('oci-layout');
    expect(read).toEqual(declared);
  });

  it('docker save | gzip: listed in one pass that indexes the layers; a layer still reads by decompressing', async () => {
    const src = source(wrap(await writeDockerSave([image]), 'gzip'));
    const { listing, read } = await layerDigests(src);
    const digests = await tarDigests();
    expect(listing.outerCompression).toBe('gzip');
    expect(read).toEqual(digests);
    const indexed = await src.indexed!(listing.images[0]!.layers[1]!);
    expect(indexed!.files).toBe(1);
    expect(indexed!.blobDigest).toBe(digests[1]);
  });

  it('a plain tar is one layer: the whole archive', async () => {
    const bytes = await writeTar([{ path: 'etc/hostname', content: 'box\n' }]);
    const src = source(bytes, 'export.tar');
    const listing = await src.list();
    expect(listing.format).toBe('plain-tar');
    expect(listing.warnings.map((w) => w.message)).toEqual([
      'export.tar is a plain tar, not an image (no manifest.json or OCI index.json): opened as a one-layer filesystem',
    ]);
    expect(src.layer(listing.images[0]!.layers[0]!).size).toBe(bytes.length);
  });
});
