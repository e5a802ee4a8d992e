// Public vocabulary of the tar walker. Pure TypeScript: runs in a worker, in Node tests and the CLI.

import type { TarWarningCode } from '../types';

export type TarEntryType =
  | 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

export interface TarEntry {
  /** Normalised: no leading '/' or './', '//' and '/./' collapsed, no trailing '/', '..' resolved
   *  and never above the root. The archive root itself is ''. */
  path: string;
  /** As written in the archive, after PAX `path` / GNU long name ('L') / GNU.sparse.name. */
  rawPath: string;
  type: TarEntryType;
  /** The raw typeflag byte (POSIX ustar offset 156). */
  typeflag: number;
  /** Permission bits including setuid, setgid and sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Seconds since the epoch; fractional when a PAX `mtime` record carries a fraction. */
  mtime: number;
  /** Logical size. For sparse files the real (apparent) size, not the bytes stored. */
  size: number;
  /** Body bytes following the headers in the archive (for sparse files: the data segments only,
   *  excluding a PAX 1.0 sparse map, which is consumed by the walker). */
  stored: number;
  /** Symlink target as written; hard link target normalised like `path`; '' when none. */
  linkName: string;
  devMajor: number;
  devMinor: number;
  /** Extended attributes from PAX SCHILY.xattr.* / LIBARCHIVE.xattr.*: a null-prototype object. */
  xattrs?: Record<string, string>;
  sparse: boolean;
  /**
   * A sparse entry's data segments as (offset, size) pairs in file order, read from its headers
   * (old GNU 'S' header and extension blocks, PAX 0.0/0.1 records, PAX 1.0 map in the body); the
   * body holds their bytes one after another. Only when the reader asked for it (keepSparseMap),
   * and not when the map was too long to keep.
   */
  sparseMap?: number[];
  /** Offset of the entry's first header block, including preceding L/K/x headers. */
  headerOffset: number;
  /** Offset of the body (the first data segment for sparse files). */
  dataOffset: number;
}

/** Receives an entry's body as subarrays of the input (never copied): exactly `stored` bytes. */
export interface BodySink {
  write(chunk: Uint8Array): void;
  end(): void;
  /** Called instead of `end()` when the archive ends before the body does. */
  abort?(reason: string): void;
}

export interface TarWarning {
  code: TarWarningCode;
  message: string;
  offset: number;
  entry?: string;
}

export interface TarVisitor {
  /** Return a sink to receive the body; otherwise the body is skipped untouched. */
  onEntry(entry: TarEntry): BodySink | void;
  onWarning?(w: TarWarning): void;
}

/** Size of a tar block: headers and bodies are laid out in 512-byte records (POSIX ustar). */
export const BLOCK = 512;

/** Bytes of padding that follow a body of `n` bytes to reach the next block boundary. */
export function padding(n: number): number {
  const r = n % BLOCK;
  return r === 0 ? 0 : BLOCK - r;
}
