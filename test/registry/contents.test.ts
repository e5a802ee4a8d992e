// A file read out of a registry layer by HTTP range requests (core/contents over the registry's
// blob source): the layer is not fetched again whole; an estargz layer (our writer's, pushed as
// is) is read through its TOC, by the footer's and the TOC's ranges and then each file's own
// member; the same layer recompressed as zstd starts at the frame the first pass recorded; what
// each returns is the file's known contents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeTransport } from '../../src/cli/registry-image';
import { installNodeSha256 } from '../../src/cli/node-hash';
import { readImages, type LayerRunner } from '../../src/core/pipeline/read-archive';
import { indexLayer } from '../../src/core/pipeline/index-layer';
import { analyseImage } from '../../src/core/analysis/analyse-image';
import { FINAL } from '../../src/core/merge';
import { layerBytesOf, readFileContent } from '../../src/core/contents';
import { parseReference, RegistryClient, RegistryImageSource } from '../../src/core/registry';
import { noise, writeOciLayout } from '../../src/testing';
import { chromiumLikeGunzip } from '../chromium-like-gunzip';
import { skipReason, startRegistry, type RegistryServer } from './harness';

const SKIP = skipReason('none');
const LAST = 'the last file, read by range\n';

// The first pass as the page's layer workers run it: Chromium's gzip decoder stops at each member.
const browserLike: LayerRunner = (job, onProgress, signal) =>
  indexLayer(job.source.stream(0, job.source.size, signal), { layer: job.layer, gzip: chromiumLikeGunzip, onProgress, ...(signal ? { signal } : {}) });

describe.skipIf(SKIP !== '')(`a file of a registry layer, by range${SKIP}`, () => {
  let dir: string;
  let registry: RegistryServer;

  beforeAll(async () => {
    installNodeSha256();
    dir = await mkdtemp(join(tmpdir(), 'strata-contents-registry-'));
    registry = await startRegistry();
    const archive = join(dir, 'contents.tar');
    await writeFile(archive, await writeOciLayout([{
      tags: ['contents:1'],
      layers: [{ createdBy: 'COPY . /', compression: 'estargz', files: [
        { path: 'etc/os-release', content: 'ID=strata\n' },
        { path: 'opt/a.bin', content: noise(3 << 20, 7) },
        { path: 'opt/b.bin', content: noise(3 << 20, 8) },
        { path: 'zz/last.txt', content: LAST },
      ] }],
    }]));
    await registry.push(archive, 'contents:1', { transport: 'oci-archive' });
    await registry.push(archive, 'contents-zstd:1', { transport: 'oci-archive', zstd: true });
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(['contents:1', 'contents-zstd:1'])('%s: the start and the end of the layer, the end by a range from its member', async (tag) => {
    const ranges: string[] = [];
    const client = new RegistryClient({
      fetch: (url, init) => {
        const range = new Headers(init?.headers).get('range');
        if (/\/blobs\//.test(new URL(url).pathname)) ranges.push(range ?? 'whole');
        return nodeTransport(url, init);
      },
    });
    const source = new RegistryImageSource(client, parseReference(`${registry.host}/${tag}`));
    const archive = await readImages(source, { runLayer: browserLike });
    const image = archive.images[0]!;
    const merged = analyseImage(image, archive.results).merged;
    const read = (path: string) => readFileContent(merged, FINAL, path, 0, 1000, { layerBytes: layerBytesOf(archive, image) });
    ranges.length = 0;
    const first = await read('etc/os-release');
    expect(new TextDecoder().decode(first.bytes)).toBe('ID=strata\n');
    const last = await read('zz/last.txt');
    expect(new TextDecoder().decode(last.bytes)).toBe(LAST);
    expect(last.check).toBe('whole-file');
    const layerSize = image.layers[0]!.compressedSize;
    const startOf = (r: string | undefined) => Number(/^bytes=(\d+)-/.exec(r ?? '')?.[1] ?? 0);
    if (image.layers[0]!.compression === 'gzip') {
      // estargz: the footer (the last 51 bytes), the TOC member just before it, then each file's
      // own member: the first file's (right after the headers at the blob's start), the last one's.
      expect({ first: first.how, last: last.how }).toEqual({ first: 'estargz-toc', last: 'estargz-toc' });
      expect(ranges.length).toBe(4);
      expect(ranges[0]).toBe(`bytes=${layerSize - 51}-${layerSize - 1}`);
      expect(ranges[1]).toMatch(new RegExp(`^bytes=\\d+-${layerSize - 52}$`));
      expect(startOf(ranges[1])).toBeGreaterThan(layerSize / 2);
      expect(startOf(ranges[2])).toBeLessThan(1024);
      expect(startOf(ranges[3])).toBeGreaterThan(layerSize / 2);
      expect(last.cost.storedBytes).toBeLessThan(1024);
      return;
    }
    // Two reads, one request each: the first from the blob's start (no Range, given up once read),
    // the second a range from inside the 6 MiB blob.
    expect(ranges.length).toBe(2);
    expect(ranges[0]).toBe('whole');
    expect({ how: last.how, compression: image.layers[0]!.compression }).toEqual({ how: 'zstd-frame', compression: 'zstd' });
    expect(startOf(ranges[1])).toBeGreaterThan(0);
  }, 60_000);
});
