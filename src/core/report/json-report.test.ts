// The `--json` report round-trips: built from a real two-image archive, written as JSON and parsed
// back, it carries every field report-format.ts declares, with dive's figures for each image.
import { describe, expect, it } from 'vitest';
import { flipByte, writeDockerSave, type ImageSpec, type LayerSpec } from '../../testing';
import { analyseImage } from '../analysis/analyse-image';
import { readArchive } from '../pipeline/read-archive';
import { reportParts } from './extras';
import { buildReport } from './json-report';
import type { ImageAnalysisFields, LayerAnalysisFields, ReportDive, ReportImage, ReportLayer, StrataReport } from './report-format';

// Image a writes `x` (1000 bytes), then overwrites it (400 bytes); image b shares the first layer
// and adds `y` (300 bytes). dive: a ships 1400 bytes, all of `x`'s two copies inefficient, score
// min/cumulative = 400/1400; b wastes nothing.
const base: LayerSpec = { createdBy: 'COPY x /', files: [{ path: 'x', content: 'a'.repeat(1000) }] };
const imageA: ImageSpec = { tags: ['app:a'], layers: [base, { createdBy: 'COPY x2 /', files: [{ path: 'x', content: 'b'.repeat(400) }] }] };
const imageB: ImageSpec = { tags: ['app:b'], layers: [base, { createdBy: 'COPY y /', files: [{ path: 'y', content: 'c'.repeat(300) }] }] };

async function roundTrip(damage?: (archive: Uint8Array) => Uint8Array): Promise<StrataReport> {
  const written = await writeDockerSave([imageA, imageB]);
  const bytes = damage ? damage(written) : written;
  const result = await readArchive(new Blob([bytes as BlobPart]), { name: 'two.tar' });
  const analyses = result.images.map((img) => analyseImage(img, result.results));
  const report = buildReport({ summary: result.summary, images: result.images, ...reportParts(result.images, analyses) });
  return JSON.parse(JSON.stringify(report)) as StrataReport;
}

// Every declared field, listed once: the compiler fails here when report-format.ts gains one.
const IMAGE_FIELDS = {
  id: 1, tags: 1, platform: 1, configDigest: 1, manifestDigest: 1, config: 1, history: 1, layers: 1,
  reclaimableBytes: 1, reclaimableByReason: 1, dive: 1, packages: 1, unownedFiles: 1, findings: 1,
} satisfies Record<keyof ReportImage | keyof ImageAnalysisFields, 1>;
const LAYER_FIELDS = {
  index: 1, diffId: 1, digest: 1, mediaType: 1, compression: 1, compressedSize: 1, uncompressedSize: 1, files: 1, command: 1,
  verification: 1, reclaimableBytes: 1, added: 1, modified: 1, removed: 1, metadataOnly: 1, unchangedRewrites: 1, removedBytes: 1,
} satisfies Record<keyof ReportLayer | keyof LayerAnalysisFields, 1>;
const DIVE_FIELDS = {
  sizeBytes: 1, userSizeBytes: 1, inefficientBytes: 1, efficiencyScore: 1, userWastedPercent: 1, fileReference: 1, layers: 1,
} satisfies Record<keyof ReportDive, 1>;

describe('the --json report', () => {
  it('names its format and version', async () => {
    const r = await roundTrip();
    expect(r.$schema).toBe('urn:strata:report');
    expect(r.version).toBe(1);
    expect(Object.keys(r.strata).sort()).toEqual(['attestations', 'format', 'images', 'otherPlatforms', 'outerCompression', 'warnings']);
    expect(r.strata).toMatchObject({ format: 'docker-save', outerCompression: 'none', attestations: 0, otherPlatforms: [], warnings: [] });
  });

  it("keeps dive's top-level image and layer keys for the first image", async () => {
    const r = await roundTrip();
    expect(r.image).toEqual({
      sizeBytes: 1400, inefficientBytes: 1400, efficiencyScore: 400 / 1400,
      fileReference: [{ count: 2, sizeBytes: 1400, file: '/x' }],
    });
    expect(r.layer!.map((l) => [l.index, l.sizeBytes, l.fileList])).toEqual([[0, 1000, [{ path: 'x' }]], [1, 400, [{ path: 'x' }]]]);
    expect(r.layer![1]!.digestId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.layer![1]!.id).toBe(r.layer![1]!.digestId.slice('sha256:'.length));
  });

  it("gives every image every declared field, dive's figures included", async () => {
    const r = await roundTrip();
    const [a, b] = r.strata.images;
    for (const img of [a!, b!]) {
      expect(Object.keys(img).sort()).toEqual(Object.keys(IMAGE_FIELDS).sort());
      expect(Object.keys(img.dive!).sort()).toEqual(Object.keys(DIVE_FIELDS).sort());
      for (const l of img.layers) expect(Object.keys(l).sort()).toEqual(Object.keys(LAYER_FIELDS).sort());
    }
    expect(a).toMatchObject({ tags: ['app:a'], platform: 'linux/amd64', reclaimableBytes: 1000, reclaimableByReason: { overwritten: 1000, removed: 0, superseded: 0, rewrite: 0 } });
    expect(a!.dive).toEqual({
      sizeBytes: 1400, userSizeBytes: 400, inefficientBytes: 1400, efficiencyScore: 400 / 1400, userWastedPercent: 3.5,
      fileReference: [{ count: 2, sizeBytes: 1400, file: '/x' }],
      layers: [{ index: 0, sizeBytes: 1000, command: 'COPY x /' }, { index: 1, sizeBytes: 400, command: 'COPY x2 /' }],
    });
    expect(b).toMatchObject({ tags: ['app:b'], platform: 'linux/amd64', reclaimableBytes: 0 });
    expect(b!.dive).toEqual({
      sizeBytes: 1300, userSizeBytes: 300, inefficientBytes: 0, efficiencyScore: 1, userWastedPercent: 0,
      fileReference: [],
      layers: [{ index: 0, sizeBytes: 1000, command: 'COPY x /' }, { index: 1, sizeBytes: 300, command: 'COPY y /' }],
    });
    expect(a!.layers[1]).toMatchObject({ index: 1, command: 'COPY x2 /', verification: 'verified', files: 1, modified: 1, added: 0, reclaimableBytes: 0 });
    expect(a!.layers[0]).toMatchObject({ reclaimableBytes: 1000, compression: 'none' });
    expect(b!.layers[1]).toMatchObject({ added: 1, modified: 0, removed: 0 });
  });
});

describe('report warnings', () => {
  it("name the image a damaged layer's index counts in", async () => {
    // A byte of `y` (image b's own second layer) flipped: its diff_id no longer matches.
    const r = await roundTrip((archive) => {
      const at = Buffer.from(archive).indexOf('c'.repeat(300));
      expect(at).toBeGreaterThan(0);
      return flipByte(archive, at + 10);
    });
    const [a, b] = r.strata.images;
    expect(r.strata.warnings.map((w) => [w.code, w.image, w.layer])).toEqual([['digest-mismatch', b!.id, 1]]);
    expect(b!.id).not.toBe(a!.id);
    expect(b!.layers[1]!.verification).toBe('mismatch');
  });
});
