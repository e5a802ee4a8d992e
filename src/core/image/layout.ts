// Which images an archive holds and where their parts are: docker save's manifest.json (classic,
// podman, kaniko, Docker 25+) and the OCI image layout's index.json (image-spec, "Image Layout"),
// including nested and multi-platform indexes. Recognised by content, never by file name.

import { formatPlatform, isDigest, type Digest, type Platform, type Warning } from '../types';
import type { ArchiveFormat } from './model';
import { arr, field, FormatError, isObject, parseJson, str, strings } from './json';

/** What the resolver needs of the archive: its entry names and the bytes of small entries. */
export interface EntryLookup {
  /** The resolved entry path (symlinks and hard links followed), or undefined when absent. */
  resolve(path: string): string | undefined;
  read(path: string): Promise<Uint8Array>;
}

export interface LayerPlan {
  /** Archive entry holding the layer blob. */
  entry: string;
  /** Digest of the stored blob, when the layout names it (checkable). */
  digest?: Digest;
  mediaType?: string;
  /** Size the manifest declares, when it does. */
  declaredSize?: number;
}

export interface ImagePlan {
  tags: string[];
  configEntry: string;
  configDigest?: Digest;
  manifestDigest?: Digest;
  platform?: Platform;
  layers: LayerPlan[];
}

export interface Resolution {
  format: ArchiveFormat;
  images: ImagePlan[];
  otherPlatforms: { platform: Platform; digest: Digest }[];
  attestations: number;
  warnings: Warning[];
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]);
const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';
/** Maximum depth of nested indexes: real ones nest once; a cycle must not hang us. */
const MAX_INDEX_DEPTH = 4;

export function blobEntry(digest: string): string {
  const [alg, hex] = digest.split(':');
  return `blobs/${alg}/${hex}`;
}

/** A digest recoverable from an entry name: `blobs/sha256/<hex>`, `<hex>.tar.gz`, `sha256:<hex>`. */
function digestFromEntry(entry: string, blobOnly: boolean): Digest | undefined {
  const m = /(?:^|\/)(?:blobs\/sha256\/|sha256:)?([0-9a-f]{64})(\.tar\.gz|\.tgz|\.tar\.zst|\.json)?$/.exec(entry);
  if (!m) return undefined;
  const isBlobDir = entry.startsWith('blobs/sha256/') || entry.startsWith('sha256:');
  if (blobOnly && !isBlobDir && m[2] === undefined) return undefined;
  const d = `sha256:${m[1]}`;
  return isDigest(d) ? d : undefined;
}

export async function resolveLayout(
  lookup: EntryLookup,
  opts: { platform?: string },
): Promise<Resolution | null> {
  const manifestJson = lookup.resolve('manifest.json');
  const indexJson = lookup.resolve('index.json');
  if (manifestJson) return resolveDockerManifest(lookup, manifestJson, indexJson !== undefined);
  if (indexJson && lookup.resolve('oci-layout')) return resolveOciIndex(lookup, indexJson, opts.platform);
  return null;
}

async function resolveDockerManifest(lookup: EntryLookup, entry: string, hasOciIndex: boolean): Promise<Resolution> {
  const doc = parseJson(await lookup.read(entry), entry);
  if (!Array.isArray(doc)) throw new FormatError('manifest.json is not a list of images', entry);
  const warnings: Warning[] = [];
  const images: ImagePlan[] = [];
  let kaniko = false;
  doc.forEach((m, i) => {
    const config = str(m, 'Config');
    if (!config) throw new FormatError(`manifest.json image ${i} has no Config`, entry);
    const configEntry = lookup.resolve(config);
    if (!configEntry) throw new FormatError(`manifest.json image ${i} names config "${config}", which is not in the archive`, entry);
    const sources = field(m, 'LayerSources');
    const layers = strings(m, 'Layers').map((p, j): LayerPlan => {
      const resolved = lookup.resolve(p);
      if (!resolved) throw new FormatError(`manifest.json image ${i} layer ${j} names "${p}", which is not in the archive`, entry);
      if (/\.tar\.gz$/.test(p)) kaniko = true;
      const digest = digestFromEntry(p, true) ?? digestFromEntry(resolved, true);
      const src = digest && isObject(sources) ? field(sources, digest) : undefined;
      return {
        entry: resolved,
        ...(digest ? { digest } : {}),
        ...(str(src, 'mediaType') ? { mediaType: str(src, 'mediaType') } : {}),
      };
    });
    const configDigest = digestFromEntry(config, false);
    images.push({ tags: strings(m, 'RepoTags'), configEntry, ...(configDigest ? { configDigest } : {}), layers });
  });
  if (images.length === 0) throw new FormatError('manifest.json lists no images', entry);
  const format: ArchiveFormat = hasOciIndex ? 'docker-save-oci' : kaniko ? 'kaniko' : 'docker-save';
  return { format, images, otherPlatforms: [], attestations: 0, warnings };
}

interface Candidate { descriptor: unknown; platform?: Platform; group: string; fromIndex: boolean }

async function resolveOciIndex(lookup: EntryLookup, entry: string, wanted: string | undefined): Promise<Resolution> {
  const warnings: Warning[] = [];
  const candidates: Candidate[] = [];
  let attestations = 0;

  const walk = async (doc: unknown, where: string, depth: number, group: string | null): Promise<void> => {
    const manifests = arr(doc, 'manifests');
    for (const [i, d] of manifests.entries()) {
      const mediaType = str(d, 'mediaType') ?? '';
      const digest = str(d, 'digest');
      const annotations = field(d, 'annotations');
      const name = str(annotations, REF_NAME) ?? str(annotations, CONTAINERD_NAME);
      const platform = readPlatform(field(d, 'platform'));
      if (!isDigest(digest)) {
        warnings.push({ code: 'oci-bad-descriptor', message: `${where} manifest ${i} has no sha256 digest; skipped`, entry: where });
        continue;
      }
      if (isAttestation(platform, annotations)) { attestations++; continue; }
      if (INDEX_TYPES.has(mediaType)) {
        if (depth >= MAX_INDEX_DEPTH) throw new FormatError(`${where}: indexes nested deeper than ${MAX_INDEX_DEPTH}`, where);
        const child = blobEntry(digest);
        if (!lookup.resolve(child)) throw new FormatError(`${where} names index ${digest}, which is not in the archive`, where);
        await walk(parseJson(await lookup.read(child), child), child, depth + 1, group ?? name ?? digest);
      } else if (MANIFEST_TYPES.has(mediaType) || mediaType === '') {
        candidates.push({ descriptor: d, ...(platform ? { platform } : {}), group: group ?? name ?? `#${i}`, fromIndex: group !== null });
      } else {
        warnings.push({ code: 'oci-unknown-media-type', message: `${where} manifest ${i} has media type ${mediaType}; skipped`, entry: where });
      }
    }
  };
  await walk(parseJson(await lookup.read(entry), entry), entry, 0, null);

  const { chosen, others } = choosePlatforms(candidates, wanted);
  const images: ImagePlan[] = [];
  for (const c of chosen) images.push(await readOciManifest(lookup, c));
  if (images.length === 0) throw new FormatError('index.json lists no image manifests', entry);
  return { format: 'oci-layout', images, otherPlatforms: others, attestations, warnings };
}

/** One image per group (ref name, or nested index); within a group pick the wanted platform. */
function choosePlatforms(candidates: Candidate[], wanted: string | undefined) {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const chosen: Candidate[] = [];
  const others: { platform: Platform; digest: Digest }[] = [];
  for (const group of groups.values()) {
    const platforms = new Set(group.map((c) => formatPlatform(c.platform)));
    if (platforms.size <= 1 && !wanted) { chosen.push(...group); continue; }
    const pick = (wanted && group.find((c) => formatPlatform(c.platform) === wanted || platformPrefix(c.platform) === wanted))
      ?? (wanted ? undefined : group.find((c) => formatPlatform(c.platform) === 'linux/amd64') ?? group[0]);
    if (!pick) {
      throw new FormatError(`platform ${wanted} is not in this archive; it has ${[...platforms].join(', ')}`);
    }
    chosen.push(pick);
    for (const c of group) if (c !== pick && c.platform) others.push({ platform: c.platform, digest: str(c.descriptor, 'digest') as Digest });
  }
  return { chosen, others };
}

function platformPrefix(p: Platform | undefined): string {
  return p ? `${p.os}/${p.architecture}` : 'unknown';
}

async function readOciManifest(lookup: EntryLookup, c: Candidate): Promise<ImagePlan> {
  const digest = str(c.descriptor, 'digest') as Digest;
  const path = blobEntry(digest);
  if (!lookup.resolve(path)) throw new FormatError(`manifest ${digest} is not in the archive`, path);
  const doc = parseJson(await lookup.read(path), path);
  const config = field(doc, 'config');
  const configDigest = str(config, 'digest');
  if (!isDigest(configDigest)) throw new FormatError(`manifest ${digest} has no config digest`, path);
  const configEntry = blobEntry(configDigest);
  if (!lookup.resolve(configEntry)) throw new FormatError(`manifest ${digest} names config ${configDigest}, which is not in the archive`, path);
  const layers = arr(doc, 'layers').map((l, j): LayerPlan => {
    const d = str(l, 'digest');
    if (!isDigest(d)) throw new FormatError(`manifest ${digest} layer ${j} has no sha256 digest`, path);
    const e = blobEntry(d);
    if (!lookup.resolve(e)) throw new FormatError(`manifest ${digest} layer ${j} (${d}) is not in the archive`, path);
    const size = field(l, 'size');
    return { entry: e, digest: d, mediaType: str(l, 'mediaType') ?? '', ...(typeof size === 'number' ? { declaredSize: size } : {}) };
  });
  const annotations = field(c.descriptor, 'annotations');
  const name = str(annotations, CONTAINERD_NAME) ?? str(annotations, REF_NAME);
  return {
    tags: name ? [name] : [],
    configEntry,
    configDigest,
    manifestDigest: digest,
    ...(c.platform ? { platform: c.platform } : {}),
    layers,
  };
}

function readPlatform(p: unknown): Platform | undefined {
  const os = str(p, 'os');
  const architecture = str(p, 'architecture');
  const variant = str(p, 'variant');
  return os && architecture ? { os, architecture, ...(variant ? { variant } : {}) } : undefined;
}

/** BuildKit's attestation manifests: platform unknown/unknown, `vnd.docker.reference.type`. */
function isAttestation(platform: Platform | undefined, annotations: unknown): boolean {
  return str(annotations, 'vnd.docker.reference.type') === 'attestation-manifest'
    || (platform?.os === 'unknown' && platform.architecture === 'unknown');
}
