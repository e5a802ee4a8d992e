// Building one layer: its uncompressed tar (whose sha256 is the diff_id, OCI image-spec "config",
// rootfs.diff_ids) and its blob (whose sha256 is the descriptor digest).

import { createHash } from 'node:crypto';
import { toDigest, type Digest } from '../core/types';
import { gzip, zstd } from './compress';
import { writeEstargz, type EstargzOptions } from './estargz';
import { writeTar, type FileSpec } from './tar-writer';

export type LayerCompression = 'none' | 'gzip' | 'zstd' | 'estargz';

export interface LayerSpec {
  files: FileSpec[];
  /** The Dockerfile step shown in config.history[].created_by. */
  createdBy: string;
  /** Default: 'gzip' in registry-shaped formats (OCI layout, kaniko); classic docker save is always
   *  uncompressed and Docker 25+ save uses 'none' unless the spec says otherwise. */
  compression?: LayerCompression;
  /** config.history[].comment, e.g. 'buildkit.dockerfile.v0'. */
  comment?: string;
  /** Write `files` exactly as given. Otherwise missing parent directories are added and entries are
   *  sorted in directory-walk order (parents first, siblings by name), as Docker's layer diffs are. */
  raw?: boolean;
  /** The layer's tar exactly as another tool wrote it (GNU tar's sparse files): `files` is then
   *  ignored. Not for 'estargz', whose writer lays out its own tar. */
  tar?: Uint8Array;
  /** estargz: files larger than this are cut into chunks (default the spec writer's 4 MiB). */
  estargzChunkSize?: number;
  /** estargz: the TOC JSON written instead (hostile TOCs in tests). */
  estargzEditToc?: EstargzOptions['editToc'];
  /** estargz: the blob written instead (hostile footers in tests). */
  estargzEditBlob?: EstargzOptions['editBlob'];
}

export type MediaTypeFlavor = 'oci' | 'docker';

export interface BuiltLayer {
  tar: Uint8Array;
  blob: Uint8Array;
  diffId: Digest;
  digest: Digest;
  mediaType: string;
  compression: LayerCompression;
  /** Descriptor annotations (estargz: the TOC digest). */
  annotations?: Record<string, string>;
}

export function sha256(bytes: Uint8Array | string): Digest {
  return toDigest(createHash('sha256').update(bytes).digest('hex'));
}

export function hexOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

/** Layer media types (OCI image-spec "Image Layer Filesystem Changeset"; Docker manifest v2 s2).
 *  Docker has no zstd layer type, so zstd is always the OCI one. */
export function layerMediaType(compression: LayerCompression, flavor: MediaTypeFlavor): string {
  if (compression === 'zstd') return 'application/vnd.oci.image.layer.v1.tar+zstd';
  const gz = compression !== 'none';
  if (flavor === 'docker') {
    return gz ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : 'application/vnd.docker.image.rootfs.diff.tar';
  }
  return gz ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar';
}

function trimPath(p: string): string {
  return p.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

const WHITEOUT = '.wh.';

/** Compare as a directory walk visits paths: component by component, so `a/z` comes before `a-b`.
 *  Whiteouts sort before their siblings (OCI image-spec layer.md, "Whiteouts": implementations
 *  SHOULD generate layers such that the whiteout files appear before sibling directory entries). */
export function walkOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i]!;
    const y = bs[i]!;
    if (x === y) continue;
    const xw = x.startsWith(WHITEOUT);
    if (xw !== y.startsWith(WHITEOUT)) return xw ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}

/** Adds missing parent directories (mode 0755) and sorts in walk order. */
export function normalizeFiles(files: FileSpec[]): FileSpec[] {
  const byPath = new Map<string, FileSpec>();
  for (const f of files) {
    const path = trimPath(f.path);
    byPath.set(path, { ...f, path });
  }
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!byPath.has(dir)) byPath.set(dir, { path: dir, type: 'dir' });
    }
  }
  return [...byPath.values()].sort((a, b) => walkOrder(a.path, b.path));
}

export async function buildLayer(spec: LayerSpec, flavor: MediaTypeFlavor = 'oci'): Promise<BuiltLayer> {
  const compression = spec.compression ?? 'gzip';
  const files = spec.raw ? spec.files : normalizeFiles(spec.files);
  let tar: Uint8Array;
  let blob: Uint8Array;
  let annotations: Record<string, string> | undefined;
  if (compression === 'estargz') {
    const e = await writeEstargz(files, { ...(spec.estargzChunkSize ? { chunkSize: spec.estargzChunkSize } : {}), ...(spec.estargzEditToc ? { editToc: spec.estargzEditToc } : {}), ...(spec.estargzEditBlob ? { editBlob: spec.estargzEditBlob } : {}) });
    tar = e.tar;
    blob = e.blob;
    annotations = { 'containerd.io/snapshot/stargz/toc.digest': sha256(e.toc) };
  } else {
    tar = spec.tar ?? await writeTar(files);
    blob = compression === 'gzip' ? gzip(tar) : compression === 'zstd' ? zstd(tar) : tar;
  }
  return {
    tar,
    blob,
    diffId: sha256(tar),
    digest: sha256(blob),
    mediaType: layerMediaType(compression, flavor),
    compression,
    ...(annotations ? { annotations } : {}),
  };
}
