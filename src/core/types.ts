// Shared vocabulary of the core. Pure TypeScript: no DOM, no Node, no React.

import type { CodecErrorCode } from './codec/errors';

/** A content digest such as `sha256:<64 hex>` (OCI image-spec, "Digests"). */
export type Digest = string & { readonly __brand: 'Digest' };

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST_RE.test(value);
}

export function toDigest(hex: string): Digest {
  const d = `sha256:${hex}`;
  if (!DIGEST_RE.test(d)) throw new Error(`not a sha256 digest: ${hex.slice(0, 80)}`);
  return d as Digest;
}

/**
 * An image within one load: its config digest when known (`sha256:...`), made unique across the
 * dropped archives (`...#2`), or a name the reader gave it. Compared, never parsed.
 */
export type ImageId = string & { readonly __brand: 'ImageId' };

/**
 * A layer's identity across images: its diff_id when known, else its blob digest, else its entry
 * name in the archive. Two images that share a layer share its key.
 */
export type LayerKey = string & { readonly __brand: 'LayerKey' };

/** The reader names images and layers once (image/layout.ts, pipeline); everything else carries them. */
export const toImageId = (id: string): ImageId => id as ImageId;
export const toLayerKey = (key: string): LayerKey => key as LayerKey;

export type Compression = 'none' | 'gzip' | 'zstd';

export type Verification = 'verified' | 'mismatch' | 'unverifiable';

/** What the tar walker reports (tar/header-decoder.ts, walker.ts, random-access.ts). */
export type TarWarningCode =
  | 'tar-truncated' | 'tar-bad-header' | 'tar-bad-checksum' | 'tar-bad-pax' | 'tar-bad-sparse-map' | 'tar-path-escape'
  | 'tar-pax-nul' | 'tar-pax-global-ignored' | 'tar-volume-label';

/** What the package readers report (packages/): a database they could only partly read. */
export type PackageWarningCode =
  | 'package-db-more' | 'package-db-stale' | 'dpkg-status' | 'dpkg-list' | 'pip-metadata' | 'pip-record'
  | 'conda-meta' | 'npm-package-json' | 'apk-db';

export type WarningCode =
  | TarWarningCode
  | PackageWarningCode
  | CodecErrorCode
  | 'layer-read-failed' | 'layer-not-tar' | 'layer-bomb' | 'media-type-mismatch'
  /** pipeline/index-layer.ts: an entry no runtime could create; merge/follow-links.ts: applied through a symlink. */
  | 'tar-path-too-long' | 'layer-path-through-symlink' | 'layer-symlink-loop'
  | 'digest-mismatch' | 'diff-ids-mismatch' | 'config-digest-mismatch' | 'history-mismatch'
  | 'archive-read-failed' | 'plain-tar' | 'oci-bad-descriptor' | 'oci-unknown-media-type';

/**
 * `damage`: bytes are damaged or missing, or do not match their digest; shown as an error.
 * `note`: read as well as it can be, worth knowing; folded into one line.
 */
export type WarningSeverity = 'damage' | 'note';

/** Every code with its severity: a new code does not compile until it is given one. */
export const WARNING_SEVERITY: Record<WarningCode, WarningSeverity> = {
  'tar-truncated': 'damage', 'tar-bad-header': 'damage', 'tar-bad-checksum': 'damage', 'tar-bad-pax': 'damage',
  'tar-bad-sparse-map': 'damage', 'tar-path-escape': 'damage',
  // A NUL inside a PAX name or keyword: Go's archive/tar refuses the header (the name is cut).
  'tar-pax-nul': 'damage',
  // Read as Docker, containerd and podman read them: global records unapplied, a label no file.
  'tar-pax-global-ignored': 'note', 'tar-volume-label': 'note',
  // An entry left out (longer than PATH_MAX), or a directory behind a symlink loop (ELOOP).
  'tar-path-too-long': 'damage', 'layer-symlink-loop': 'damage',
  // Applied as podman's vfs driver and umoci apply it; an overlay driver would differ.
  'layer-path-through-symlink': 'note',
  'package-db-more': 'note', 'package-db-stale': 'note', 'dpkg-status': 'note', 'dpkg-list': 'note',
  'pip-metadata': 'note', 'pip-record': 'note', 'conda-meta': 'note', 'npm-package-json': 'note', 'apk-db': 'note',
  // A layer stream that cannot be decoded to its end: the rest of the layer is missing.
  'gzip-corrupt': 'damage', 'gzip-truncated': 'damage',
  // Bytes after the last member, ignored as `gzip -dc` ignores them: the layer itself is whole
  // (codec/stream.ts onWarning; were output lost, tar-truncated would say so).
  'gzip-trailing-garbage': 'note',
  'zstd-corrupt': 'damage', 'zstd-truncated': 'damage', 'zstd-unsupported': 'damage', 'zstd-memory': 'damage',
  'zstd-unavailable': 'damage', 'layer-read-failed': 'damage',
  // Cancelling is the user's doing, not the archive's.
  aborted: 'note',
  'layer-not-tar': 'damage', 'layer-bomb': 'damage', 'media-type-mismatch': 'note',
  'digest-mismatch': 'damage', 'diff-ids-mismatch': 'damage', 'config-digest-mismatch': 'damage', 'history-mismatch': 'note',
  'archive-read-failed': 'damage', 'plain-tar': 'note', 'oci-bad-descriptor': 'note', 'oci-unknown-media-type': 'note',
};

/** Something wrong that did not stop us: named by where it happened. */
export interface Warning {
  code: WarningCode;
  message: string;
  /** The image `layer` counts in, where the warning is about one image. */
  image?: ImageId;
  /** Index of the layer within its image (`image`, else the first image that has the layer), where known. */
  layer?: number;
  /** Byte offset within the stream the code names (the layer's uncompressed tar, or the archive). */
  offset?: number;
  /** Name of the archive entry involved, where known. */
  entry?: string;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export function formatPlatform(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** Entry kinds in a layer index. Whiteouts are recorded as kinds, never as files. */
export const EntryKind = {
  file: 0,
  dir: 1,
  symlink: 2,
  hardlink: 3,
  charDevice: 4,
  blockDevice: 5,
  fifo: 6,
  /** `.wh.<name>`: removes `<name>` from lower layers (OCI image-spec, "Whiteouts"). */
  whiteout: 7,
  /** `.wh..wh..opq`: hides everything lower layers had in this directory. Path is the directory. */
  opaque: 8,
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

export const KIND_LETTER: Record<EntryKind, string> = {
  0: '-', 1: 'd', 2: 'l', 3: 'h', 4: 'c', 5: 'b', 6: 'p', 7: 'w', 8: 'o',
};
