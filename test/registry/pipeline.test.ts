// A registry image through the same pipeline as a dropped archive: the layer graph (onSummary) comes
// before any layer byte is fetched, each distinct layer is fetched once, progress counts the bytes
// that came over the network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeTransport } from '../../src/cli/registry-image';
import { installNodeSha256 } from '../../src/cli/node-hash';
import { readImages } from '../../src/core/pipeline/read-archive';
import { parseReference, RegistryClient, RegistryImageSource } from '../../src/core/registry';
import { skipReason, startRegistry, type RegistryServer } from './harness';
import { seedRegistry, writeArchives } from './seed';

const SKIP = skipReason('none');

describe.skipIf(SKIP !== '')(`a registry image through the pipeline${SKIP}`, () => {
  let dir: string;
  let anon: RegistryServer;

  beforeAll(async () => {
    installNodeSha256();
    dir = await mkdtemp(join(tmpdir(), 'strata-pipeline-registry-'));
    anon = await startRegistry();
    await seedRegistry(anon, await writeArchives(dir));
  }, 120_000);

  afterAll(async () => {
    await anon?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function recording() {
    const blobs: string[] = [];
    const client = new RegistryClient({
      fetch: (url, init) => {
        const m = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(new URL(url).pathname);
        if (m) blobs.push(m[1]!);
        return nodeTransport(url, init);
      },
    });
    return { client, blobs };
  }

  it('draws the graph before a layer byte, fetches a layer listed twice once, counts network bytes', async () => {
    const { client, blobs } = recording();
    const ref = parseReference(`${anon.host}/repeated:1`);
    let atSummary: string[] = [];
    const progress = new Map<string, number>();
    const result = await readImages(new RegistryImageSource(client, ref), {
      name: ref.toString(),
      onSummary: (s) => {
        atSummary = [...blobs];
        expect(s.images[0]!.layers.map((l) => l.command)).toEqual(['ADD rootfs.tar.gz / # registry test base', 'RUN true', 'RUN true']);
      },
      onProgress: (key, n) => progress.set(key, n),
    });
    const record = result.summary.images[0]!;
    expect(atSummary).toEqual([record.configDigest]);
    // The second `RUN true` has the first one's diff_id: one fetch for both.
    expect(record.layers[1]!.diffId).toBe(record.layers[2]!.diffId);
    expect(blobs.slice(1).sort()).toEqual([record.layers[0]!.digest, record.layers[1]!.digest].sort());
    expect(result.images[0]!.layers.map((l) => l.verification)).toEqual(['verified', 'verified', 'verified']);
    expect(record.layers.map((l) => l.compressedSize)).toEqual([409, 29, 29]);
    expect([...progress.values()].sort((a, b) => a - b)).toEqual([29, 409]);
  }, 60_000);
});
