// `docker save` archives in the three shapes readers meet:
// - classic (Docker < 25): <v1id>/{VERSION,json,layer.tar}, <config hex>.json, manifest.json,
//   repositories; entries sorted, as Docker tars up its staging directory. A layer whose diff_id was
//   already written under another directory becomes a symlink `../<other v1id>/layer.tar`, as
//   moby's image/tarexport does.
// - podman (containers/image docker-archive): layer bytes at the root as <diff_id hex>.tar, config
//   <hex>.json, and each legacy <v1id>/layer.tar is a symlink to `../<diff_id hex>.tar`. Entries are
//   in write order, not sorted: per layer its blob then its legacy files, then the config, and
//   manifest.json and repositories last.
// - Docker 25+: an OCI image layout (oci-layout, index.json, blobs/sha256/...) plus a manifest.json
//   whose Config and Layers point into blobs/sha256/.

import { buildImage, fullName, jsonBytes, MEDIA, platformOf, splitTag, type BuiltImage, type ImageSpec } from './image';
import { hexOf, sha256 } from './layer';
import { writeTar, type FileSpec } from './tar-writer';

interface ManifestItem {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

/** Collects the archive's entries, once per path (the first writer wins, like shared layer dirs). */
export class ArchiveBuilder {
  readonly entries: FileSpec[] = [];
  private readonly seen = new Set<string>();

  has(path: string): boolean {
    return this.seen.has(path);
  }

  add(spec: FileSpec): void {
    if (this.seen.has(spec.path)) return;
    this.seen.add(spec.path);
    this.entries.push(spec);
  }

  file(path: string, content: Uint8Array | string): void {
    this.add({ path, content });
  }

  dir(path: string): void {
    this.add({ path, type: 'dir' });
  }

  write(sorted: boolean): Promise<Uint8Array> {
    const list = sorted ? [...this.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) : this.entries;
    return writeTar(list);
  }
}

/** Adds `image`'s tags to the manifest.json list, merging tags of an identical config (docker save a:1 a:2). */
function addManifestItem(items: ManifestItem[], item: ManifestItem): void {
  const same = items.find((i) => i.Config === item.Config);
  if (!same) {
    items.push(item);
    return;
  }
  same.RepoTags = [...(same.RepoTags ?? []), ...(item.RepoTags ?? [])];
}

function addRepositories(repos: Record<string, Record<string, string>>, tags: string[], id: string): void {
  for (const t of tags) {
    const [name, tag] = splitTag(t);
    (repos[name] ??= {})[tag] = id;
  }
}

/** The legacy v1 layer id: derived from the parent id and the diff_id, so equal layer chains in
 *  different images land in the same directory (docker save a b shares them). */
function legacyId(parent: string, diffId: string): string {
  return hexOf(sha256(JSON.stringify({ parent, diffId })));
}

function legacyJson(id: string, parent: string, image: BuiltImage, i: number): Uint8Array {
  const p = platformOf(image.spec);
  return jsonBytes({
    id,
    ...(parent ? { parent } : {}),
    created: '1970-01-01T00:00:00Z',
    container_config: { Cmd: [image.spec.layers[i]?.createdBy ?? ''] },
    os: p.os,
    architecture: p.architecture,
  });
}

function addClassicLayers(
  a: ArchiveBuilder, image: BuiltImage, diffIdPaths: Map<string, string>, podman: boolean,
): { paths: string[]; topId: string } {
  const paths: string[] = [];
  let parent = '';
  image.layers.forEach((layer, i) => {
    const id = legacyId(parent, layer.diffId);
    const tarPath = `${id}/layer.tar`;
    const rootBlob = `${hexOf(layer.diffId)}.tar`;
    if (podman) a.file(rootBlob, layer.tar);
    if (!a.has(tarPath)) {
      if (!podman) a.dir(id);
      a.file(`${id}/VERSION`, '1.0');
      a.file(`${id}/json`, legacyJson(id, parent, image, i));
      const earlier = diffIdPaths.get(layer.diffId);
      if (podman) a.add({ path: tarPath, type: 'symlink', linkname: `../${rootBlob}` });
      else if (earlier) a.add({ path: tarPath, type: 'symlink', linkname: `../${earlier}` });
      else a.file(tarPath, layer.tar);
      if (!earlier) diffIdPaths.set(layer.diffId, tarPath);
    }
    paths.push(podman ? rootBlob : tarPath);
    parent = id;
  });
  return { paths, topId: parent };
}

export async function writeDockerSave(images: ImageSpec[], opts: { podmanSymlinks?: boolean } = {}): Promise<Uint8Array> {
  const podman = opts.podmanSymlinks ?? false;
  // Docker stores layers uncompressed; whatever the spec asked for, layer.tar is a plain tar.
  const built = await Promise.all(images.map((s) => buildImage({ ...s, mediaTypes: 'docker' }, 'none', 'none')));
  const a = new ArchiveBuilder();
  const items: ManifestItem[] = [];
  const repos: Record<string, Record<string, string>> = {};
  const diffIdPaths = new Map<string, string>();
  for (const image of built) {
    const { paths: layers, topId } = addClassicLayers(a, image, diffIdPaths, podman);
    const configName = `${hexOf(image.configDigest)}.json`;
    a.file(configName, image.config);
    const tags = image.spec.tags ?? [];
    addManifestItem(items, { Config: configName, RepoTags: tags.length ? tags : null, Layers: layers });
    if (topId) addRepositories(repos, tags, topId);
  }
  a.file('manifest.json', jsonBytes(items));
  if (Object.keys(repos).length) a.file('repositories', jsonBytes(repos));
  return a.write(!podman);
}

/** Writes blobs/sha256/<hex> for each blob once, with the two directory entries first. */
export function addBlob(a: ArchiveBuilder, digest: string, bytes: Uint8Array): string {
  a.dir('blobs');
  a.dir('blobs/sha256');
  const path = `blobs/sha256/${hexOf(digest)}`;
  a.file(path, bytes);
  return path;
}

export function addImageBlobs(a: ArchiveBuilder, image: BuiltImage): { config: string; layers: string[] } {
  const layers = image.layers.map((l) => addBlob(a, l.digest, l.blob));
  const config = addBlob(a, image.configDigest, image.config);
  addBlob(a, image.manifestDigest, image.manifest);
  return { config, layers };
}

export const OCI_LAYOUT = jsonBytes({ imageLayoutVersion: '1.0.0' });

export async function writeDockerSaveOci(images: ImageSpec[]): Promise<Uint8Array> {
  const built = await Promise.all(images.map((s) => buildImage(s, 'none')));
  const a = new ArchiveBuilder();
  const items: ManifestItem[] = [];
  const repos: Record<string, Record<string, string>> = {};
  const descriptors: object[] = [];
  for (const image of built) {
    const paths = addImageBlobs(a, image);
    const tags = image.spec.tags ?? [];
    addManifestItem(items, { Config: paths.config, RepoTags: tags.length ? tags : null, Layers: paths.layers });
    const top = image.layers.at(-1);
    if (top) addRepositories(repos, tags, hexOf(top.digest));
    const base = { mediaType: image.manifestMediaType, digest: image.manifestDigest, size: image.manifest.byteLength };
    if (!tags.length) descriptors.push(base);
    for (const t of tags) {
      const annotations = { 'io.containerd.image.name': fullName(t), 'org.opencontainers.image.ref.name': splitTag(t)[1] };
      descriptors.push({ ...base, annotations });
    }
  }
  a.file('index.json', jsonBytes({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: descriptors }));
  a.file('manifest.json', jsonBytes(items));
  a.file('oci-layout', OCI_LAYOUT);
  if (Object.keys(repos).length) a.file('repositories', jsonBytes(repos));
  return a.write(true);
}
