import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { writeDockerSave, writeDockerSaveOci } from './docker-save';
import { IMAGE_A, IMAGE_B, IMAGE_REPEATED } from './fixtures-for-tests';
import { listNames, listVerbose, readJson, readMember } from './gnu-tar';

const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const HEX = '[0-9a-f]{64}';

interface Item { Config: string; RepoTags: string[] | null; Layers: string[] }
interface Config { rootfs: { diff_ids: string[] }; history: { created_by: string; empty_layer?: boolean }[]; architecture: string }

/** Checks what a reader relies on: config named by its digest, layer tars hashing to the diff_ids. */
function verifyItems(archive: Uint8Array, configName: (hex: string) => string): Item[] {
  const items = readJson<Item[]>(archive, 'manifest.json');
  const links = new Map(listVerbose(archive).filter((e) => e.kind === 'l').map((e) => [e.name, e.target!]));
  for (const item of items) {
    const configBytes = readMember(archive, item.Config);
    expect(configName(hex(configBytes))).toBe(item.Config);
    const config = JSON.parse(Buffer.from(configBytes).toString()) as Config;
    expect(item.Layers).toHaveLength(config.rootfs.diff_ids.length);
    item.Layers.forEach((path, i) => {
      expect(`sha256:${hex(readMember(archive, followLink(links, path)))}`).toBe(config.rootfs.diff_ids[i]);
    });
    expect(config.history.filter((h) => !h.empty_layer)).toHaveLength(item.Layers.length);
  }
  return items;
}

/** Resolves a symlink entry's target relative to its directory: `a/layer.tar -> ../b/layer.tar`. */
function followLink(links: Map<string, string>, path: string): string {
  const target = links.get(path);
  if (target === undefined) return path;
  const parts = path.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

describe('writeDockerSave (classic)', () => {
  it('lays out <id>/{VERSION,json,layer.tar}, <config>.json, manifest.json, repositories, sorted', async () => {
    const archive = await writeDockerSave([IMAGE_A]);
    const names = listNames(archive);
    expect(names).toEqual([...names].sort());
    const pattern = new RegExp(`^(${HEX}/(VERSION|json|layer\\.tar)?|${HEX}\\.json|manifest\\.json|repositories)$`);
    for (const n of names) expect(n).toMatch(pattern);
    expect(names.filter((n) => n.endsWith('/layer.tar'))).toHaveLength(2);
    const items = verifyItems(archive, (h) => `${h}.json`);
    expect(items).toEqual([expect.objectContaining({ RepoTags: ['app:a'] })]);
  });

  it('records empty steps in history where the Dockerfile had them', async () => {
    const archive = await writeDockerSave([IMAGE_A]);
    const [item] = readJson<Item[]>(archive, 'manifest.json');
    const config = readJson<Config>(archive, item!.Config);
    expect(config.history.map((h) => [h.created_by, h.empty_layer ?? false])).toEqual([
      ['ADD rootfs.tar.gz /', false],
      ['ENV MODE=a', true],
      ['RUN echo a > /a', false],
      ['CMD ["/a"]', true],
    ]);
  });

  it('shares layer directories between images saved together (docker save a b)', async () => {
    const archive = await writeDockerSave([IMAGE_A, IMAGE_B]);
    const items = verifyItems(archive, (h) => `${h}.json`);
    expect(items.map((i) => i.RepoTags)).toEqual([['app:a'], ['app:b', 'registry.example:5000/team/app:b']]);
    expect(items[0]!.Layers[0]).toBe(items[1]!.Layers[0]);
    expect(listNames(archive).filter((n) => n.endsWith('/layer.tar'))).toHaveLength(3);
    const repos = readJson<Record<string, Record<string, string>>>(archive, 'repositories');
    expect(Object.keys(repos).sort()).toEqual(['app', 'registry.example:5000/team/app']);
  });

  it('writes a repeated layer once and links the second copy, as moby does', async () => {
    const archive = await writeDockerSave([IMAGE_REPEATED]);
    const links = listVerbose(archive).filter((e) => e.kind === 'l');
    expect(links).toHaveLength(1);
    expect(links[0]!.target).toMatch(new RegExp(`^\\.\\./${HEX}/layer\\.tar$`));
    verifyItems(archive, (h) => `${h}.json`);
  });
});

describe('writeDockerSave (podman symlinks)', () => {
  it('puts layer bytes at <diff_id>.tar and makes each <id>/layer.tar a symlink to it', async () => {
    const archive = await writeDockerSave([IMAGE_A, IMAGE_B], { podmanSymlinks: true });
    const entries = listVerbose(archive);
    const links = entries.filter((e) => e.name.endsWith('/layer.tar'));
    expect(links.length).toBe(3);
    for (const l of links) {
      expect(l.kind).toBe('l');
      expect(l.target).toMatch(new RegExp(`^\\.\\./${HEX}\\.tar$`));
      expect(entries.map((e) => e.name)).toContain(l.target!.slice(3));
    }
    expect(entries.slice(-2).map((e) => e.name)).toEqual(['manifest.json', 'repositories']);
    const items = verifyItems(archive, (h) => `${h}.json`);
    for (const path of items.flatMap((i) => i.Layers)) expect(path).toMatch(new RegExp(`^${HEX}\\.tar$`));
  });
});

describe('writeDockerSaveOci (Docker 25+)', () => {
  it('writes an OCI layout plus manifest.json pointing into blobs/sha256/', async () => {
    const archive = await writeDockerSaveOci([IMAGE_A, IMAGE_B]);
    const names = listNames(archive);
    expect(names.filter((n) => !n.startsWith('blobs/sha256/'))).toEqual(['blobs/', 'index.json', 'manifest.json', 'oci-layout', 'repositories']);
    for (const n of names.filter((x) => /^blobs\/sha256\/./.test(x))) {
      expect(hex(readMember(archive, n))).toBe(n.slice('blobs/sha256/'.length));
    }
    const items = verifyItems(archive, (h) => `blobs/sha256/${h}`);
    expect(items).toHaveLength(2);
  });

  it('names every tag in index.json with its full reference and points at the matching manifest', async () => {
    const archive = await writeDockerSaveOci([IMAGE_A, IMAGE_B]);
    const index = readJson<{ manifests: { digest: string; annotations: Record<string, string> }[] }>(archive, 'index.json');
    expect(index.manifests.map((m) => m.annotations['io.containerd.image.name'])).toEqual([
      'docker.io/library/app:a', 'docker.io/library/app:b', 'registry.example:5000/team/app:b',
    ]);
    const items = readJson<Item[]>(archive, 'manifest.json');
    const manifest = readJson<{ config: { digest: string }; layers: { mediaType: string }[] }>(
      archive, `blobs/sha256/${index.manifests[0]!.digest.slice(7)}`);
    expect(`blobs/sha256/${manifest.config.digest.slice(7)}`).toBe(items[0]!.Config);
    expect(manifest.layers[0]!.mediaType).toBe('application/vnd.oci.image.layer.v1.tar');
  });
});
