// OCI image layouts (image-spec "image-layout.md": oci-layout, index.json, blobs/<alg>/<hex>) and
// kaniko's tarball (go-containerregistry pkg/v1/tarball: config file named `sha256:<hex>`, layer
// blobs `<digest hex>.tar.gz`, manifest.json written last).

import type { Digest } from '../core/types';
import { addBlob, addImageBlobs, ArchiveBuilder, OCI_LAYOUT } from './docker-save';
import { buildImage, jsonBytes, MEDIA, platformOf, splitTag, type BuiltImage, type Descriptor, type ImageSpec } from './image';
import { hexOf, sha256 } from './layer';

export interface OciLayoutOptions {
  /** Every image spec is one platform of a single image: index entries carry `platform`. */
  multiPlatform?: boolean;
  /** Per image, a BuildKit-style attestation manifest (platform unknown/unknown, annotated with
   *  vnd.docker.reference.type = attestation-manifest and the image manifest's digest). */
  attestation?: boolean;
  /** index.json holds one descriptor of an image index blob, which lists the manifests
   *  (what `docker buildx build --output type=oci` writes). */
  nestedIndex?: boolean;
}

const IN_TOTO = 'application/vnd.in-toto+json';
const SLSA = 'https://slsa.dev/provenance/v0.2';

function addAttestation(a: ArchiveBuilder, image: BuiltImage): Descriptor {
  const statement = jsonBytes({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: SLSA,
    subject: [{ name: image.spec.tags?.[0] ?? 'image', digest: { sha256: hexOf(image.manifestDigest) } }],
    predicate: { builder: { id: '' }, buildType: 'https://mobyproject.org/buildkit@v1' },
  });
  const statementDigest = sha256(statement);
  const config = jsonBytes({
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: [statementDigest] },
  });
  const manifest = jsonBytes({
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: sha256(config), size: config.byteLength },
    layers: [{ mediaType: IN_TOTO, digest: statementDigest, size: statement.byteLength, annotations: { 'in-toto.io/predicate-type': SLSA } }],
  });
  addBlob(a, statementDigest, statement);
  addBlob(a, sha256(config), config);
  const manifestDigest = sha256(manifest);
  addBlob(a, manifestDigest, manifest);
  return {
    mediaType: MEDIA.ociManifest,
    digest: manifestDigest,
    size: manifest.byteLength,
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: {
      'vnd.docker.reference.digest': image.manifestDigest,
      'vnd.docker.reference.type': 'attestation-manifest',
    },
  };
}

function refAnnotations(tag: string | undefined): { annotations?: Record<string, string> } {
  return tag ? { annotations: { 'org.opencontainers.image.ref.name': splitTag(tag)[1] } } : {};
}

/** Descriptors of the image manifests: one per tag (or one untagged) unless grouped as platforms. */
function manifestDescriptors(built: BuiltImage[], multiPlatform: boolean, named: boolean): Descriptor[] {
  const out: Descriptor[] = [];
  for (const image of built) {
    const base: Descriptor = { mediaType: image.manifestMediaType, digest: image.manifestDigest, size: image.manifest.byteLength };
    if (multiPlatform) base.platform = platformOf(image.spec);
    const tags = named ? (image.spec.tags ?? []) : [];
    if (multiPlatform || tags.length === 0) out.push({ ...base, ...refAnnotations(named ? tags[0] : undefined) });
    else for (const t of tags) out.push({ ...base, ...refAnnotations(t) });
  }
  return out;
}

function indexDocument(manifests: Descriptor[]): Uint8Array {
  return jsonBytes({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests });
}

export async function writeOciLayout(images: ImageSpec[], opts: OciLayoutOptions = {}): Promise<Uint8Array> {
  const built = await Promise.all(images.map((s) => buildImage(s, 'gzip')));
  const a = new ArchiveBuilder();
  for (const image of built) addImageBlobs(a, image);
  const nested = opts.nestedIndex ?? false;
  const inner = manifestDescriptors(built, opts.multiPlatform ?? false, !nested);
  if (opts.attestation) for (const image of built) inner.push(addAttestation(a, image));
  let top = inner;
  if (nested) {
    const index = indexDocument(inner);
    const digest: Digest = sha256(index);
    addBlob(a, digest, index);
    const tag = built.flatMap((b) => b.spec.tags ?? [])[0];
    top = [{ mediaType: MEDIA.ociIndex, digest, size: index.byteLength, ...refAnnotations(tag) }];
  }
  a.file('index.json', indexDocument(top));
  a.file('oci-layout', OCI_LAYOUT);
  return a.write(true);
}

export async function writeKaniko(image: ImageSpec): Promise<Uint8Array> {
  const built = await buildImage(image, 'gzip');
  const a = new ArchiveBuilder();
  const configName = `sha256:${hexOf(built.configDigest)}`;
  a.file(configName, built.config);
  const layers = built.layers.map((l) => {
    const name = `${hexOf(l.digest)}.tar.gz`;
    a.file(name, l.blob);
    return name;
  });
  a.file('manifest.json', jsonBytes([{ Config: configName, RepoTags: image.tags ?? [], Layers: layers }]));
  return a.write(false);
}
