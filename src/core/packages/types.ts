// Types of package attribution: which installed package owns which file of the final filesystem.

import type { PackageWarningCode, Warning } from '../types';

export type Ecosystem = 'deb' | 'pip' | 'conda' | 'apk' | 'npm';

/** A regular file of the final (merged) filesystem. */
export interface FinalFile {
  /** Normalised, relative path (`usr/bin/env`). */
  path: string;
  size: number;
  /** Index of the layer that last wrote it. */
  layer: number;
}

/** The bytes of a small package-database file, kept by the indexer (see `shouldCapture`). */
export interface CapturedFile {
  path: string;
  layer: number;
  bytes: Uint8Array;
}

export interface InstalledPackage {
  name: string;
  version: string;
  ecosystem: Ecosystem;
  /** Sum of the sizes of the final files this package owns. */
  bytes: number;
  /** Number of final files this package owns. */
  files: number;
  /** Layer that installed it: the layer of its metadata file (dpkg: of its `.list`, else the status). */
  layer: number;
  /** Number of paths its database lists (directories included), when the database lists paths. */
  paths?: number;
  /** Path of the metadata file it was read from. */
  source: string;
  /** dpkg's `Installed-Size` in bytes: an estimate to show when no file list survives (distroless). */
  installedSize?: number;
}

/**
 * The final files as columns, row i one file (the analysis hands over the merged image's): no
 * object or path string is kept per file; a path is built when asked for.
 */
export interface FinalFileColumns {
  readonly count: number;
  readonly size: ArrayLike<number>;
  readonly layer: ArrayLike<number>;
  path(i: number): string;
  /** The row of the file at `path`, or -1: lets a few paths be looked up without building every row's path. */
  rowOf?(path: string): number;
}

export interface AttributionInput {
  /** Regular files of the final filesystem: columns, or objects (iterated once, so a generator will do). */
  files: Iterable<FinalFile> | FinalFileColumns;
  /** Captured database files in layer order; for a path captured twice the last one is current. */
  captures: readonly CapturedFile[];
}

export interface AttributionResult {
  /** Sorted by bytes, largest first. */
  packages: InstalledPackage[];
  unowned: { bytes: number; files: number };
  /** Final path -> index into `packages`, for every owned file (a Map built on the first call). */
  owners: Pick<ReadonlyMap<string, number>, 'get'>;
  /** Index into `packages` of each file by its row in `files` (their order), -1 if unowned: what findings read. */
  fileOwners: Int32Array;
  warnings: Warning[];
}

/** What an ecosystem reader found in the databases before any final file is looked at. */
export interface Candidate {
  name: string;
  version: string;
  ecosystem: Ecosystem;
  layer: number;
  source: string;
  /** Paths the database says the package installed, normalised; null when ownership is by directory. */
  declared: string[] | null;
  /** npm: the package directory; it owns everything below not owned by a nested package. */
  dir?: string;
  installedSize?: number;
}

/** What the attribution hands each ecosystem reader. */
export interface ReadContext {
  /** Current captures by path: last capture per path, still present, not stale. */
  readonly live: ReadonlyMap<string, CapturedFile>;
  /** Decoded text of a live capture (decoded once, shared by readers). */
  text(path: string): string;
  /** Earlier captures of `path`, oldest first (for finding the layer that first installed a package). */
  earlier(path: string): readonly CapturedFile[];
  warn(code: PackageWarningCode, message: string, entry: string, layer?: number): void;
}
