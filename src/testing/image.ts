// From an ImageSpec to the JSON documents every format shares: the image config (OCI image-spec
// "config.md": rootfs.diff_ids, history with empty_layer) and the image manifest ("manifest.md").

import type { Digest } from '../core/types';
import { buildLayer, sha256, type BuiltLayer, type LayerCompression, type LayerSpec, type MediaTypeFlavor } from './layer';
import { FIXED_MTIME } from './tar-writer';

export interface ImageConfigSpec {
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
  Labels?: Record<string, string>;
  StopSignal?: string;
}

export interface EmptyStep {
  /** Inserted before layer `before`; `before >= layers.length` puts it at the end. */
  before: number;
  createdBy: string;
  comment?: string;
}

export interface ImageSpec {
  /** `name:tag` references; a name without a tag means `:latest`. */
  tags?: string[];
  layers: LayerSpec[];
  /** Steps with `empty_layer: true` (ENV, WORKDIR, CMD...). */
  emptySteps?: EmptyStep[];
  config?: ImageConfigSpec;
  /** Default linux/amd64. */
  platform?: { os: string; architecture: string; variant?: string };
  /** Media types for manifests, configs and layers where the format lets us choose. Default 'oci'. */
  mediaTypes?: MediaTypeFlavor;
}

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface BuiltImage {
  spec: ImageSpec;
  layers: BuiltLayer[];
  config: Uint8Array;
  configDigest: Digest;
  configMediaType: string;
  manifest: Uint8Array;
  manifestDigest: Digest;
  manifestMediaType: string;
}

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

const encoder = new TextEncoder();

export function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function stepTime(step: number): string {
  return new Date((FIXED_MTIME + step * 60) * 1000).toISOString().replace('.000Z', 'Z');
}

export function platformOf(spec: ImageSpec): { os: string; architecture: string; variant?: string } {
  return spec.platform ?? { os: 'linux', architecture: 'amd64' };
}

interface HistoryEntry {
  created: string;
  created_by: string;
  comment?: string;
  empty_layer?: true;
}

/** One entry per layer, in order, with the empty steps slotted in before the layer they precede. */
export function buildHistory(spec: ImageSpec): HistoryEntry[] {
  const empties = spec.emptySteps ?? [];
  const out: HistoryEntry[] = [];
  const push = (createdBy: string, comment: string | undefined, empty: boolean) => {
    const h: HistoryEntry = { created: stepTime(out.length), created_by: createdBy };
    if (comment) h.comment = comment;
    if (empty) h.empty_layer = true;
    out.push(h);
  };
  const n = spec.layers.length;
  for (let i = 0; i <= n; i++) {
    for (const e of empties) {
      if (e.before === i || (i === n && e.before > n)) push(e.createdBy, e.comment, true);
    }
    const layer = spec.layers[i];
    if (layer) push(layer.createdBy, layer.comment, false);
  }
  return out;
}

export function buildConfig(spec: ImageSpec, diffIds: Digest[]): Uint8Array {
  const history = buildHistory(spec);
  const p = platformOf(spec);
  return jsonBytes({
    architecture: p.architecture,
    os: p.os,
    ...(p.variant ? { variant: p.variant } : {}),
    created: history.at(-1)?.created ?? stepTime(0),
    config: spec.config ?? {},
    rootfs: { type: 'layers', diff_ids: diffIds },
    history,
  });
}

export function descriptorOf(l: BuiltLayer): Descriptor {
  return {
    mediaType: l.mediaType,
    digest: l.digest,
    size: l.blob.byteLength,
    ...(l.annotations ? { annotations: l.annotations } : {}),
  };
}

// Layers are memoised per spec object, compression and flavor: images that share a LayerSpec (the
// demo's v1 and v2) build it once and get identical bytes.
const layerCache = new WeakMap<LayerSpec, Map<string, Promise<BuiltLayer>>>();

function cachedLayer(spec: LayerSpec, compression: LayerCompression, flavor: MediaTypeFlavor): Promise<BuiltLayer> {
  let m = layerCache.get(spec);
  if (!m) layerCache.set(spec, (m = new Map()));
  const key = `${compression}/${flavor}`;
  let p = m.get(key);
  if (!p) m.set(key, (p = buildLayer({ ...spec, compression }, flavor)));
  return p;
}

export async function buildImage(
  spec: ImageSpec,
  defaultCompression: LayerCompression,
  forceCompression?: LayerCompression,
): Promise<BuiltImage> {
  const flavor = spec.mediaTypes ?? 'oci';
  const layers = await Promise.all(
    spec.layers.map((l) => cachedLayer(l, forceCompression ?? l.compression ?? defaultCompression, flavor)),
  );
  const config = buildConfig(spec, layers.map((l) => l.diffId));
  const configDigest = sha256(config);
  const configMediaType = flavor === 'docker' ? MEDIA.dockerConfig : MEDIA.ociConfig;
  const manifestMediaType = flavor === 'docker' ? MEDIA.dockerManifest : MEDIA.ociManifest;
  const manifest = jsonBytes({
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: { mediaType: configMediaType, digest: configDigest, size: config.byteLength },
    layers: layers.map(descriptorOf),
  });
  return {
    spec, layers, config, configDigest, configMediaType, manifest, manifestDigest: sha256(manifest), manifestMediaType,
  };
}

/** `registry:5000/team/app:1.2` -> ['registry:5000/team/app', '1.2']; no tag -> 'latest'. */
export function splitTag(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return [ref.slice(0, colon), ref.slice(colon + 1)];
  return [ref, 'latest'];
}

/** Docker's familiar-name expansion: `app` -> `docker.io/library/app`. */
export function fullName(ref: string): string {
  const [name, tag] = splitTag(ref);
  const first = name.split('/')[0]!;
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const full = hasRegistry ? name : name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return `${full}:${tag}`;
}
