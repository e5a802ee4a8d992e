// dive's own test images, made by real tools (docker save, kaniko, OCI writers): every image opens,
// every layer verifies, and the README-only tars are recognised as plain tars, not images.
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readArchive } from './read-archive';
import { diveCommand } from '../image/config';
import { entryPath } from '../index/layer-index';
import { DIVE_DIR, diveFixture, haveDive, SKIP_DIVE } from '../../../test/shared-fixtures';

const IMAGES: [string, string, string][] = [
  ['test-docker-image.tar', 'docker-save', 'none'],
  ['test-kaniko-image.tar', 'kaniko', 'gzip'],
  ['test-oci-uncompressed-image.tar', 'oci-layout', 'none'],
  ['test-oci-gzip-image.tar', 'oci-layout', 'gzip'],
  ['test-oci-zstd-image.tar', 'oci-layout', 'zstd'],
  ['test-oci-estargz-image.tar', 'oci-layout', 'gzip'],
];
const PLAIN = ['test-uncompressed-image.tar', 'test-gzip-image.tar', 'test-zstd-image.tar', 'test-estargz-image.tar'];

describe.skipIf(!haveDive)(`dive's test images${SKIP_DIVE}`, () => {
  it.each(IMAGES)('%s opens as %s and every layer verifies', async (file, format, compression) => {
    const result = await readArchive(await diveFixture(file), { name: file });
    expect(result.summary.format).toBe(format);
    const [image] = result.images;
    expect(image).toBeDefined();
    expect(image!.layers.length).toBe(image!.record.layers.length);
    expect(image!.layers.length).toBeGreaterThan(0);
    for (const layer of image!.layers) {
      expect(layer.verification, `layer ${layer.index}`).toBe('verified');
      expect(layer.compression).toBe(compression);
    }
    expect(result.summary.warnings.filter((w) => w.code !== 'history-mismatch')).toEqual([]);
  });

  it('reads the 14 layers of the docker save image with their commands and dive\'s file lists', async () => {
    const result = await readArchive(await diveFixture('test-docker-image.tar'));
    const expected = JSON.parse(await readFile(join(DIVE_DIR, 'expected/test-docker-image.export.json'), 'utf8')) as {
      layer: { command: string; fileList: { path: string }[] }[];
    };
    const layers = result.images[0]!.layers;
    expect(layers.map((l) => diveCommand(l.command))).toEqual(expected.layer.map((l) => l.command));
    layers.forEach((l, j) => {
      const paths = new Set<string>();
      for (let i = 0; i < l.entries.count; i++) {
        const kind = l.entries.kind[i];
        // dive lists whiteouts under their marker name; compare the user-visible entries
        if (kind === 7 || kind === 8) continue;
        paths.add(entryPath(l.entries, i));
      }
      const diveUser = expected.layer[j]!.fileList.map((f) => f.path).filter((p) => !p.split('/').pop()!.startsWith('.wh.'));
      expect([...paths].sort(), `layer ${j}`).toEqual([...new Set(diveUser)].sort());
    });
  });

  it('estargz: the table of contents is metadata, not a user file', async () => {
    const result = await readArchive(await diveFixture('test-oci-estargz-image.tar'));
    const e = result.images[0]!.layers[0]!.entries;
    const paths = Array.from({ length: e.count }, (_, i) => entryPath(e, i));
    expect(paths).not.toContain('stargz.index.json');
    expect(paths.length).toBeGreaterThan(0);
  });

  it.each(PLAIN)('%s is recognised as a plain tar, not an image', async (file) => {
    const result = await readArchive(await diveFixture(file), { name: file });
    expect(result.summary.format).toBe('plain-tar');
    expect(result.summary.warnings.map((w) => w.code)).toContain('plain-tar');
    const e = result.images[0]!.layers[0]!.entries;
    expect(Array.from({ length: e.count }, (_, i) => entryPath(e, i))).toEqual(['README.md']);
  });
});
