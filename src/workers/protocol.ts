// The message protocol between the page and the engine worker: tagged unions, small values only.
// Per-file data never crosses as objects: the page asks for windows of rows. Paths cross bare
// (`usr/lib`, '' for the root); the page adds the leading '/' when it shows one.

import type { ArchiveSummary } from '../core/image/model';
import type { RateLimit, RegistryErrorCode } from '../core/registry/errors';
import type { ImageId, LayerKey, Verification, Warning } from '../core/types';
import type { Finding } from '../core/findings/types';
import type { StrataReport } from '../core/report/report-format';
import type { LargestAnswer, PackagesAnswer, SizeNode } from '../core/views/types';
import type { CompareSummary, PathWindow, PathWindowRequest } from '../core/compare/windows';
import type { ContentProgress, FileContent } from '../core/contents/types';
import type { LineDiff } from '../core/contents/line-diff';

export type { ContentCheck, ContentHow, ContentProgress, ContentType, FileContent, FileContentRequest, TextEncoding } from '../core/contents/types';

export type {
  View, ChangeName, TreeFilter, TreeRowsRequest, TreeRow, TreeRowsResponse, NodeDetails, LayerStats, ImageAnalysis,
  DiveSummary, LargestAnswer, LargestFile, LargestDir, PackagesAnswer, SizeNode,
} from '../core/views/types';
import type { ImageAnalysis, NodeDetails, TreeRowsRequest, TreeRowsResponse, View } from '../core/views/types';

export interface LayerProgress {
  /** LayerRecord.key (while a compressed outer archive streams: the layer's entry name). */
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
  | { type: 'query'; queryId: number; query: EngineQuery }
  /** The page no longer wants this answer: skip the query if it has not started. */
  | { type: 'cancelQuery'; queryId: number };

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
  | { kind: 'details'; imageId: ImageId; view: View; path: string }
  /** The `--json` report of the archive holding `imageId` (the first archive when absent). */
  | { kind: 'report'; imageId?: ImageId }
  /** Treemap of the final filesystem below `path` (bounded), or of the bytes shipped but invisible. */
  | { kind: 'sizeMap'; imageId: ImageId; path: string; invisible: boolean }
  | { kind: 'largest'; imageId: ImageId; limit: number }
  | { kind: 'packages'; imageId: ImageId }
  | { kind: 'findings'; imageId: ImageId }
  /** Image `b` against image `a` (any two loaded images): the report with the `pathLimit` largest paths. */
  | { kind: 'compare'; pair: ComparePair; pathLimit: number }
  /** A window of the pair's differing paths, by change and text, in tar order. */
  | { kind: 'comparePaths'; pair: ComparePair; request: PathWindowRequest }
  /**
   * A window of one file's bytes, read from its layer without holding the layer (core/contents):
   * named as `details` names a node (image, view, path); bytes [offset, offset + length), clamped
   * to the file (FileContentRequest). A long read (a compressed layer decoded from its start)
   * posts `queryProgress`; cancelling the query stops it.
   */
  | { kind: 'fileContent'; imageId: ImageId; view: View; path: string; offset: number; length: number }
  /**
   * The line diff of two texts (core/contents/line-diff.ts: jsdiff, capped at MAX_EDITS), here so
   * that a large diff never holds up the page's thread; null when the texts differ too much.
   */
  | { kind: 'lineDiff'; a: string; b: string };

/** Which two images, and how they are compared (mtimes ignored unless asked, ignore globs). */
export interface ComparePair { a: ImageId; b: ImageId; includeMtime?: boolean; ignore?: string[] }

/**
 * What each query kind answers. A new query is its line in `EngineQuery`, its line here and its
 * handler in `Session` (the compiler asks for the handler); the page then gets the answer typed.
 */
export interface EngineAnswers {
  treeRows: TreeRowsResponse;
  rowOf: number;
  details: NodeDetails | null;
  report: StrataReport;
  sizeMap: SizeNode | null;
  largest: LargestAnswer;
  packages: PackagesAnswer;
  findings: Finding[];
  compare: CompareSummary;
  comparePaths: PathWindow;
  fileContent: FileContent;
  lineDiff: LineDiff | null;
}

export type QueryKind = keyof EngineAnswers;
export type QueryOf<K extends QueryKind> = Extract<EngineQuery, { kind: K }>;

// Every query kind has an answer type and every answer a query kind: either side missing fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _kindsMatch: Same<EngineQuery['kind'], QueryKind> = true;
void _kindsMatch;

export type EngineEvent =
  | { type: 'summary'; loadId: number; summary: ArchiveSummary }
  | { type: 'progress'; loadId: number; layers: LayerProgress[] }
  | { type: 'layer'; loadId: number; key: LayerKey; files: number; uncompressedSize: number; verification: Verification }
  | { type: 'warning'; loadId: number; warning: Warning & { file?: string } }
  | { type: 'analysis'; loadId: number; analysis: ImageAnalysis }
  | { type: 'done'; loadId: number }
  | { type: 'error'; loadId: number; message: string; file?: string; registry?: RegistryFailure }
  /** A reference resolved: its digest and the pull quota the registry reported. */
  | { type: 'registry'; loadId: number; digest: string; rateLimit?: RateLimit }
  | { type: 'answer'; queryId: number; answer: EngineAnswers[QueryKind] }
  /** A query still at work (a file read decoding a layer from its start): how far it is. */
  | { type: 'queryProgress'; queryId: number; progress: ContentProgress }
  | { type: 'answer'; queryId: number; error: string };

/**
 * What the page's listeners hear: the worker's load events, and `crashed` when the worker itself
 * died (an uncaught error in it, or its script failed to load). That ends every load.
 */
export type ClientEvent = Exclude<EngineEvent, { type: 'answer' } | { type: 'queryProgress' }> | { type: 'crashed'; message: string };
