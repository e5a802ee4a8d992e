// A dropped OCI layout folder reads as the same layout in a tar does: the same images, layers,
// files and verification, each file read where it is.
import { describe, expect, it } from 'vitest';
import { entryPath } from '../index/layer-index';
import { readArchive, readImages, type ArchiveResult } from '../pipeline/read-archive';
import { walkChunked } from '../tar/testing';
import { writeOciLayout, type ImageSpec } from '../../testing';
import { FolderImageSource } from './folder-source';

const image: ImageSpec = {
  tags: ['registry.example.com/app:1'],
  layers: [
    { createdBy: 'ADD base /', files: [{ path: 'etc/os-release', content: 'ID=debian\n' }], compression: 'gzip' },
    { createdBy: 'COPY app /app', files: [{ path: 'app/main.py', content: 'print("hi")\n' }], compression: 'zstd' },
  ],
};

const view = (r: ArchiveResult) => r.images.map((img) => ({
  tags: img.record.tags,
  layers: img.layers.map((l) => ({
    command: l.command, verification: l.verification, compression: l.compression,
    paths: Array.from({ length: l.entries.count }, (_, i) => entryPath(l.entries, i)),
  })),
}));

describe('FolderImageSource', () => {
  it('reads an OCI layout folder as its tar reads', async () => {
    const tar = await writeOciLayout([image]);
    const files = walkChunked(tar, 0, true).bodies;
    const folder = new FolderImageSource('layout/', [...files].map(([path, bytes]) => [path, new Blob([bytes as BlobPart])]));
    const fromFolder = await readImages(folder);
    expect(fromFolder.summary.format).toBe('oci-layout');
    expect(view(fromFolder)).toEqual([{
      tags: ['1'], // the layout's org.opencontainers.image.ref.name is the tag alone
      layers: [
        { command: 'ADD base /', verification: 'verified', compression: 'gzip', paths: ['etc', 'etc/os-release'] },
        { command: 'COPY app /app', verification: 'verified', compression: 'zstd', paths: ['app', 'app/main.py'] },
      ],
    }]);
    expect(view(fromFolder)).toEqual(view(await readArchive(new Blob([tar as BlobPart]))));
  });

  it('a folder without a layout says what it lacks', async () => {
    const folder = new FolderImageSource('photos/', [['a.png', new Blob(['x'])]]);
    await expect(readImages(folder)).rejects.toThrow('photos/ is not an image folder: it has neither oci-layout with index.json nor manifest.json');
  });
});
