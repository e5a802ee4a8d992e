// Reading known contents out of every layer encoding, at the start, middle and end of a layer,
// from archives our fixture writer builds: what the details pane shows and `--cat` prints.
import { describe, expect, it } from 'vitest';
import { readArchive, type ArchiveResult } from '../pipeline/read-archive';
import { analyseImage } from '../analysis/analyse-image';
import { FINAL, type View } from '../merge';
import { buildLayer, flipByte, letters, writeOciLayout, type LayerCompression } from '../../testing';
import { TarImageSource } from '../source/archive-source';
import { BlobByteSource } from '../source/blob-source';
import { layerBytesOf } from './archive-layers';
import { readFileContent } from './read-file';
import type { FileContent } from './types';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

const OS_RELEASE = 'PRETTY_NAME="Strata Test 1"\nID=strata\n';
const MIDDLE = 'middle of the layer\n';
const LAST = 'the last file of the layer\n';

function layerFiles() {
  return [
    { path: 'etc/os-release', content: OS_RELEASE },
    { path: 'opt/big-1.bin', content: letters(3 << 20, 1) },
    { path: 'opt/middle.txt', content: MIDDLE },
    { path: 'opt/big-2.bin', content: letters(3 << 20, 2) },
    { path: 'zz/last.txt', content: LAST },
  ];
}

async function load(compression: LayerCompression): Promise<{ archive: ArchiveResult; read: (path: string, offset?: number, length?: number, view?: View) => Promise<FileContent> }> {
  const bytes = await writeOciLayout([{ tags: ['t:1'], layers: [{ createdBy: 'COPY . /', compression, files: layerFiles() }] }]);
  const archive = await readArchive(new Blob([bytes as BlobPart]));
  const image = archive.images[0]!;
  const merged = analyseImage(image, archive.results).merged;
  return {
    archive,
    read: (path, offset = 0, length = 1 << 30, view = FINAL) => readFileContent(merged, view, path, offset, length, { layerBytes: layerBytesOf(archive, image) }),
  };
}

describe.each(['none', 'gzip', 'zstd', 'estargz'] as const)('a %s layer', (compression) => {
  it('reads a file at the start, the middle and the end of the layer', async () => {
    const { read } = await load(compression);
    const first = await read('etc/os-release');
    expect(decode(first.bytes)).toBe(OS_RELEASE);
    expect(first.size).toBe(38);
    expect(first.type).toBe('text');
    expect(first.check).toBe('whole-file');
    expect(decode((await read('opt/middle.txt')).bytes)).toBe(MIDDLE);
    const last = await read('zz/last.txt');
    expect(decode(last.bytes)).toBe(LAST);
    expect(last.from).toEqual({ layer: 0, path: 'zz/last.txt' });
  });

  it('reads a window of a large file', async () => {
    const { read } = await load(compression);
    const w = await read('opt/big-2.bin', 1_000_000, 16);
    expect(w.offset).toBe(1_000_000);
    expect(Array.from(w.bytes)).toEqual(Array.from(letters(3 << 20, 2).subarray(1_000_000, 1_000_016)));
    expect(w.size).toBe(3 << 20);
  });
});


/** Where `needle` first occurs in `hay`. */
function find(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('a flipped byte in the stretch read', () => {
  it.each(['none', 'gzip', 'zstd'] as const)('of a %s layer is an error, not other bytes', async (compression) => {
    const spec = { createdBy: 'COPY . /', compression, files: layerFiles() };
    const good = await writeOciLayout([{ tags: ['t:1'], layers: [spec] }]);
    const archive = await readArchive(new Blob([good as BlobPart]));
    const image = archive.images[0]!;
    const merged = analyseImage(image, archive.results).merged;
    // The layer blob inside the archive, then a byte inside the stretch read for the last file:
    // its own body when stored plainly, the middle of the stream before it when compressed.
    const { blob } = await buildLayer(spec);
    const start = find(good, blob.subarray(0, 64));
    expect(start).toBeGreaterThan(0);
    const at = compression === 'none' ? start + find(blob, new TextEncoder().encode(LAST)) + 4 : start + Math.floor(blob.length * 0.9);
    const bad = flipByte(good, at);
    const damaged = new TarImageSource(new BlobByteSource(new Blob([bad as BlobPart])));
    const listing = await damaged.list();
    const sources = new Map(listing.images[0]!.layers.map((plan, j) => [image.layers[j]!.key as string, damaged.layer(plan)]));
    const read = () => readFileContent(merged, FINAL, 'zz/last.txt', 0, 100, { layerBytes: layerBytesOf({ ...archive, sources }, image) });
    await expect(read()).rejects.toThrow(compression === 'none'
      ? '/zz/last.txt: the bytes read from layer 0 do not match the content hash recorded when the layer was indexed (the layer is damaged, or changed since)'
      : /layer could not be decoded|damaged/);
    // The undamaged archive reads the same file.
    const ok = await readFileContent(merged, FINAL, 'zz/last.txt', 0, 100, { layerBytes: layerBytesOf(archive, image) });
    expect(decode(ok.bytes)).toBe(LAST);
  });
});

describe('what a path is', () => {
  it('a symlink answers its target, a hard link its target\'s bytes, a directory is an error, a removed file its lower copy', async () => {
    const bytes = await writeOciLayout([{
      tags: ['t:1'],
      layers: [
        { createdBy: 'base', compression: 'gzip', files: [{ path: 'etc/config', content: 'v=1\n' }, { path: 'bin/tool', content: 'TOOL' }, { path: 'bin/tool-link', type: 'hardlink', linkname: 'bin/tool' }, { path: 'bin/sh', type: 'symlink', linkname: 'busybox' }] },
        { createdBy: 'rm', compression: 'zstd', files: [{ path: 'etc/.wh.config', content: '' }] },
      ],
    }]);
    const archive = await readArchive(new Blob([bytes as BlobPart]));
    const image = archive.images[0]!;
    const merged = analyseImage(image, archive.results).merged;
    const read = (path: string, view: View = FINAL) => readFileContent(merged, view, path, 0, 100, { layerBytes: layerBytesOf(archive, image) });
    const link = await read('bin/sh');
    expect(link.symlinkTarget).toBe('busybox');
    expect(link.bytes.length).toBe(0);
    const hard = await read('bin/tool-link');
    expect(decode(hard.bytes)).toBe('TOOL');
    expect(hard.from).toEqual({ layer: 0, path: 'bin/tool' });
    await expect(read('bin')).rejects.toThrow('/bin is a directory');
    await expect(read('etc/config')).rejects.toThrow('/etc/config: not in this view');
    const removed = await read('etc/config', { mode: 'layerOnly', layer: 1 });
    expect(removed.removedBy).toBe(1);
    expect(decode(removed.bytes)).toBe('v=1\n');
    expect(removed.from).toEqual({ layer: 0, path: 'etc/config' });
  });
});
