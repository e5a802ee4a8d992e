// Where an image's bytes come from. The pipeline reads through these two interfaces and never
// knows whether the bytes are a dropped file, an OCI folder, a file on disk or a registry
// (the pattern of speedscope's ProfileDataSource and dive's image Resolver).

import type { ArchiveFormat } from '../image/model';
import type { ImagePlan, LayerPlan } from '../image/layout';
import type { LayerResult } from '../pipeline/index-layer';
import type { Compression, Digest, Platform, Warning } from '../types';

/** A run of bytes of known size, readable by range and streamable by range. */
export interface ByteSource {
  /** Total size in bytes (a file's size, a blob descriptor's size). */
  readonly size: number;
  /**
   * Exactly `length` bytes at `offset`, or fewer only where the source ends first. Callers may
   * read small ranges often: an implementation batches or windows as its medium needs.
   */
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * As `read`, but the bytes may be a view of the source's own buffer, valid only until its next
   * read or view: for a caller that decodes them at once and keeps nothing (tar headers), where a
   * fresh copy per 512-byte header was a page fault each. Absent: the caller uses `read`.
   */
  view?(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** The bytes in [from, to) (default: all of them) as a stream, for one forward pass. */
  stream(from?: number, to?: number, signal?: AbortSignal, opts?: StreamOptions): ReadableStream<Uint8Array>;
  /**
   * The bytes in [from, to) as a source of the same kind, without reading them. Seekable media
   * (a Blob, a file) have it; an archive's layers are slices of the archive (TarImageSource).
   */
  slice?(from: number, to: number): ByteSource;
  /**
   * The bytes come over the network (a registry blob): read them once, front to back. The pipeline
   * then hashes a layer in the job that indexes it instead of a second job fetching it again, and
   * skips the header-by-header quick pass (one request per read).
   */
  readonly remote?: boolean;
  /**
   * The same bytes in a form another worker can open itself (openPortable), so the pool posts a
   * handle and never the bytes. Absent: the source can only be read where it lives.
   */
  portable?(): PortableSource;
  /** Let go of what the source holds open between reads (a streaming cursor). Reads reopen it. */
  close?(): void;
}

export interface StreamOptions {
  /**
   * The consumer is done with each chunk (has hashed it, or copied what it keeps) before it reads
   * the next one, and keeps none: no queueing it, posting it or holding a subarray of it. The
   * source may then hand out every chunk in the same few buffers, refilled (a Blob: a BYOB reader,
   * streams.ts reusingStream), instead of fresh memory per chunk. A source may ignore it.
   */
  reuseChunks?: boolean;
}

/**
 * A ByteSource that can be posted to a worker: a Blob is a handle (posting it copies nothing); a
 * URL (http-source.ts, a registry blob behind our proxy) is fetched by the worker itself, so its
 * bytes never pass through the engine.
 */
export type PortableSource =
  | { kind: 'blob'; blob: Blob }
  | { kind: 'url'; url: string; size: number; headers: Record<string, string>; what: string };

/** What a source holds before any layer is read: enough to draw the layer graph. */
export interface SourceListing {
  format: ArchiveFormat | 'registry';
  /** Compression around the whole archive (`docker save | gzip`); 'none' for a registry. */
  outerCompression: Compression;
  images: ImagePlan[];
  /** Platforms of a multi-platform index that were not chosen. */
  otherPlatforms: { platform: Platform; digest: Digest }[];
  /** Attestation manifests that were skipped. */
  attestations: number;
  warnings: Warning[];
}

/** What the reader asks of list(); a source ignores what does not apply to it. */
export interface ListOptions {
  /** `os/arch[/variant]` to pick from a multi-platform index. */
  platform?: string;
  /** A source that indexes layers while listing (see indexed()): check their digests (default true). */
  verify?: boolean;
  /** A source that reads layers while listing: stored bytes of the entry read so far. */
  onProgress?: (entry: string, storedBytes: number, total: number) => void;
}

/** The images of one archive, folder or registry reference, and each layer as a ByteSource. */
export interface ImageSource {
  /** For messages: the file name or the reference. */
  readonly name: string;
  list(signal?: AbortSignal, opts?: ListOptions): Promise<SourceListing>;
  /** A small entry (a config) by the name an ImagePlan gives it (`configEntry`). */
  read(entry: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** The stored blob of a layer, as the plan names it. */
  layer(plan: LayerPlan): ByteSource;
  /**
   * A layer this source already indexed while listing, by its plan: a compressed archive
   * (`docker save | gzip`) allows no seeking, so list() reads it in one pass and indexes its
   * layers on the way. Undefined for a layer the pipeline is to read through layer().
   */
  indexed?(plan: LayerPlan): Promise<LayerResult> | undefined;
}
