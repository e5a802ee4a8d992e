// Types of the "why is this image large" findings: bytes a different Dockerfile would not ship,
// and (the layer-caching findings) bytes a different order of its steps would not rebuild.

import type { CachingLayer } from './caching';

/** Findings of bytes a different Dockerfile would not ship (they add up). */
export type WasteKind =
  | 'apt-cache'
  | 'pip-cache'
  | 'conda-pkgs'
  | 'npm-cache'
  | 'pycache'
  | 'removed-later'
  | 'duplicate-content'
  | 'model-weights'
  | 'build-tools'
  | 'static-libs'
  | 'uv-cache'
  | 'stray-wheels'
  | 'cuda-duplicate'
  | 'cuda-devel'
  | 'gpu-unused'
  | 'package-twice';

/** Findings of bytes a different order of steps would not rebuild per code change (`rebuilt`). */
export type CachingKind = 'deps-after-code' | 'large-after-code';

export type FindingKind = WasteKind | CachingKind;

export interface Finding {
  kind: FindingKind;
  /**
   * Bytes a different Dockerfile would not ship. No file counts in two findings, so these add up;
   * except `rebuilt` findings, whose bytes are a layer rebuilt per code change (left out of sums).
   */
  bytes: number;
  /** The layer that ships those bytes (for removed-later: the layer that wrote them). */
  layer: number;
  /** How many files the finding covers. */
  files: number;
  /** The largest of them, at most 20. */
  paths: string[];
  /** What to change, naming the Dockerfile steps involved. */
  fix: string;
  /** The Dockerfile step that made `layer`, from the image history, when known. */
  step?: string;
  /** removed-later: the layer that deletes or replaces the files. */
  removedBy?: number;
  /**
   * The layer-caching findings (deps-after-code, large-after-code): `bytes` are the layer's bytes
   * that every code change rebuilds and re-ships, not bytes the image could drop, so they are not
   * added to the other findings' savings.
   */
  rebuilt?: true;
  /** The layer-caching findings: the COPY of application code below `layer`, and its step. */
  codeLayer?: number;
  codeStep?: string;
  /** The finding is a guess from the history (large-after-code, gpu-unused), not a certainty. */
  heuristic?: true;
}

/** A regular file of the final filesystem. */
export interface WasteFile {
  path: string;
  size: number;
  /** Layer that last wrote it. */
  layer: number;
  /** Content hash (any stable digest); files without one are never called duplicates. */
  hash?: string;
}

/** A file some layer wrote that a later layer deleted (whiteout) or wrote again: still shipped. */
export interface RemovedFile {
  path: string;
  /** Its size in the layer that wrote it. */
  size: number;
  /** Layer that wrote the version that is hidden. */
  layer: number;
  /** Layer that deleted or replaced it. */
  removedBy: number;
}

/** The little findings need from package attribution. */
export interface PackageRef {
  name: string;
  ecosystem: string;
  version?: string;
  /** Layer of its metadata, and the metadata file (package-twice tells copies apart by its directory). */
  layer?: number;
  source?: string;
}

/**
 * The final files as columns, row i one file (the analysis hands over the merged image's): no
 * object, path or hash string is kept per file; a path is built when asked for.
 */
export interface WasteFileColumns {
  readonly count: number;
  readonly size: ArrayLike<number>;
  readonly layer: ArrayLike<number>;
  /** Content hash of each row in two 32-bit halves; 0 and 0 when there is none. */
  readonly hashHi: ArrayLike<number>;
  readonly hashLo: ArrayLike<number>;
  path(i: number): string;
}

export interface WasteInput {
  /** Final filesystem: columns, or objects (iterated once). */
  files: Iterable<WasteFile> | WasteFileColumns;
  removed?: Iterable<RemovedFile>;
  /** Dockerfile step (history `created_by`) by layer index. */
  commands?: readonly string[];
  /** From `attributePackages`: its `packages` and `fileOwners` (index into packages by row of `files`, -1 if none). */
  packages?: readonly PackageRef[];
  fileOwners?: ArrayLike<number>;
  /** What the image runs (for gpu-unused); without it that heuristic is not applied. */
  config?: RunConfig;
  /** Every layer with its size and files, for the layer-caching findings; without it they are not looked for. */
  layers?: readonly CachingLayer[];
}

/** The parts of the image config that say what the container runs. */
export interface RunConfig {
  entrypoint: readonly string[] | null;
  cmd: readonly string[] | null;
  env: readonly string[];
}
