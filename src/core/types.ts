// Shared vocabulary of the core. Pure TypeScript: no DOM, no Node, no React.

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

export type Compression = 'none' | 'gzip' | 'zstd';

export type Verification = 'verified' | 'mismatch' | 'unverifiable';

/** Something wrong that did not stop us: named by where it happened. */
export interface Warning {
  code: string;
  message: string;
  /** Index of the layer within its image, where known. */
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
