// The model of what an archive holds: images, their layers, config and history. Small values only;
// the per-file data of a layer lives in its columnar LayerIndex.

import type { Compression, Digest, ImageId, LayerKey, Platform, Verification, Warning } from '../types';
import type { LayerIndex } from '../index/layer-index';

export type ArchiveFormat =
  | 'docker-save' // classic: manifest.json + <id>/layer.tar (podman: layer.tar may be a symlink)
  | 'docker-save-oci' // Docker 25+: OCI layout inside plus manifest.json
  | 'oci-layout' // oci-layout + index.json + blobs/sha256/...
  | 'kaniko' // manifest.json at the end, <digest>.tar.gz layers
  | 'plain-tar'; // not an image: a filesystem tar (docker export), opened as one layer

/** One step of `config.history`. Empty-layer steps (ENV, WORKDIR...) are kept for display. */
export interface HistoryStep {
  createdBy: string;
  created?: string;
  comment?: string;
  emptyLayer: boolean;
  /** Index of the layer this step produced, or null for empty-layer steps. */
  layer: number | null;
}

/** The parts of the image config (OCI image-spec, "config") we show. Copied field by field. */
export interface ImageConfigView {
  env: string[];
  cmd: string[] | null;
  entrypoint: string[] | null;
  workingDir: string;
  user: string;
  exposedPorts: string[];
  volumes: string[];
  labels: [string, string][];
  created?: string;
  author?: string;
  stopSignal?: string;
}

export interface LayerRecord {
  /** Position in its image, 0 = bottom (base). */
  index: number;
  /** Identity shared across images: `diffId` when known, else the blob digest, else the entry name. */
  key: LayerKey;
  diffId?: Digest;
  digest?: Digest;
  mediaType?: string;
  /** Detected from the bytes; a disagreement with mediaType is a warning. */
  compression: Compression;
  compressedSize: number;
  uncompressedSize?: number;
  /** The Dockerfile step that made it (from history), '' when unknown. */
  command: string;
  verification: Verification;
  /** Number of non-directory entries, once indexed. */
  files?: number;
}

/** What reading a layer establishes; a LayerRecord holds them once its layer is read. */
export interface LayerFacts {
  compression: Compression;
  uncompressedSize: number;
  /** Number of non-directory entries. */
  files: number;
  verification: Verification;
}

export interface ImageRecord {
  /** Stable id within the load: config digest when known. */
  id: ImageId;
  tags: string[];
  platform?: Platform;
  configDigest?: Digest;
  manifestDigest?: Digest;
  config: ImageConfigView;
  history: HistoryStep[];
  layers: LayerRecord[];
}

export interface ArchiveSummary {
  /** 'registry' when the images were read from a registry, not an archive. */
  format: ArchiveFormat | 'registry';
  /** Compression wrapped around the whole archive (`docker save | gzip`). */
  outerCompression: Compression;
  images: ImageRecord[];
  /** Platforms present in a multi-platform index that were not chosen. */
  otherPlatforms: { platform: Platform; digest: Digest }[];
  /** Attestation manifests (`unknown/unknown`) that were skipped. */
  attestations: number;
  warnings: Warning[];
}

/** A layer once indexed: its record plus its file index. Layers with the same key share one index. */
export interface IndexedLayer extends LayerRecord {
  files: number;
  /** The layer's columnar file index. */
  entries: LayerIndex;
}
