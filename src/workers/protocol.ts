// The message protocol between the page and the engine worker: tagged unions, small values only.
// Per-file data never crosses as objects: the page asks for windows of rows.

import type { ArchiveSummary } from '../core/image/model';
import type { RateLimit, RegistryErrorCode } from '../core/registry/errors';
import type { Warning } from '../core/types';

export type {
  TreeView, ChangeKind, TreeFilter, TreeRowsRequest, TreeRow, TreeRowsResponse, NodeDetails, LayerStats, ImageAnalysis,
} from '../core/views/types';
import type { ImageAnalysis, TreeRowsRequest, TreeView } from '../core/views/types';

export interface LayerProgress {
  /** LayerRecord.key */
  key: string;
  bytesDone: number;
  bytesTotal: number;
}

/** A dropped folder (an OCI image layout): its files, each named by its path inside the folder. */
export interface DroppedFolder { kind: 'folder'; name: string; files: File[] }

/** What the page hands the engine: files (each an archive) and folders. */
export type Dropped = File | DroppedFolder;

export type EngineRequest =
  /** verify: check layer digests (sha256), default true. */
  | { type: 'load'; loadId: number; files: (Blob | DroppedFolder)[]; names: string[]; platform?: string; verify?: boolean }
  /** An image by reference, read through our server's registry proxy (registry-load.ts). */
  | { type: 'loadReference'; loadId: number; reference: string; platform?: string; verify?: boolean; credentials?: RegistryCredentials }
  | { type: 'cancel'; loadId: number }
  | { type: 'query'; queryId: number; query: EngineQuery };

/** What the user typed for one registry API host; sent only with that host's requests. */
export interface RegistryCredentials { host: string; username: string; password: string }

/** A registry load that failed, in terms the page acts on (a 401 asks for credentials). */
export interface RegistryFailure {
  code: RegistryErrorCode | 'bad-reference';
  message: string;
  retryAfter?: number;
  rateLimit?: RateLimit;
}

export type EngineQuery =
  | { kind: 'treeRows'; request: TreeRowsRequest }
  /** Row index of a path in the flat list of `request` (expand its ancestors first), or -1. */
  | { kind: 'rowOf'; request: TreeRowsRequest; path: string }
  | { kind: 'details'; imageId: string; view: TreeView; path: string }
  /** The `--json` report of the archive holding `imageId` (the first archive when absent). */
  | { kind: 'report'; imageId?: string }
  /** Treemap of the final filesystem below `path` (bounded), or of the bytes shipped but invisible. */
  | { kind: 'sizeMap'; imageId: string; path: string; invisible: boolean }
  | { kind: 'largest'; imageId: string; limit: number }
  | { kind: 'packages'; imageId: string }
  | { kind: 'findings'; imageId: string };

export type EngineEvent =
  | { type: 'summary'; loadId: number; summary: ArchiveSummary }
  | { type: 'progress'; loadId: number; layers: LayerProgress[] }
  | { type: 'layer'; loadId: number; key: string; files: number; uncompressedSize: number; verification: 'verified' | 'mismatch' | 'unverifiable' }
  | { type: 'warning'; loadId: number; warning: Warning & { file?: string } }
  | { type: 'analysis'; loadId: number; analysis: ImageAnalysis }
  | { type: 'done'; loadId: number }
  | { type: 'error'; loadId: number; message: string; file?: string; registry?: RegistryFailure }
  /** A reference resolved: its digest and the pull quota the registry reported. */
  | { type: 'registry'; loadId: number; digest: string; rateLimit?: RateLimit }
  | { type: 'answer'; queryId: number; answer: unknown; error?: string };
