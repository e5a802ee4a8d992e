// "Download" for a file and "Save as tar" for a directory (issue #15): bytes come through repeated
// `fileContent` reads of CHUNK bytes, and go into a Blob a few chunks at a time (folded into the
// Blob, which the browser may keep on disk, rather than held as arrays in the page), so a file or
// a directory of any size streams through. A directory's entries come from the tree's own windows
// (`rowOf`, then `treeRows` with every directory open) and its tar headers from core/tar.
import { queryEngine } from '../../store/engine';
import { defaultFilter } from '../../store/view-store';
import { tarHeader, tarPadding, TAR_END_BLOCKS, type TarWriteType } from '../../core/tar/tar-writer';
import type { TreeRow, TreeRowsRequest } from '../../workers/protocol';
import type { FileTarget } from './use-file-read';
import { downloadBlob } from '../download';

/** Bytes per fileContent read while saving. */
export const CHUNK = 4 * 1024 * 1024;
/** Tree rows asked for at a time while listing a directory. */
const ROWS = 1000;

export interface SaveProgress { files: number; bytes: number; totalBytes?: number }

/** Collects bytes into a Blob, folding what it holds into the Blob every FOLD bytes. */
class BlobSink {
  private static readonly FOLD = 32 * 1024 * 1024;
  private blob = new Blob([]);
  private parts: Uint8Array<ArrayBuffer>[] = [];
  private pending = 0;
  written = 0;

  write(b: Uint8Array): void {
    if (b.length === 0) return;
    this.parts.push(new Uint8Array(b));
    this.pending += b.length;
    this.written += b.length;
    if (this.pending >= BlobSink.FOLD) this.fold();
  }

  finish(): Blob {
    this.fold();
    return this.blob;
  }

  private fold(): void {
    this.blob = new Blob([this.blob, ...this.parts]);
    this.parts = [];
    this.pending = 0;
  }
}

/** Writes the bytes of the file `target` names, [0, size), into `sink`; checks it got them all. */
async function copyFile(target: FileTarget, size: number, sink: BlobSink, signal: AbortSignal, onBytes: (n: number) => void): Promise<void> {
  let offset = 0;
  do {
    const c = await queryEngine({ kind: 'fileContent', ...target, offset, length: CHUNK }, signal);
    if (c.bytes.length === 0 && offset < size) throw new Error(`/${target.path} ended at byte ${offset} of ${size}`);
    sink.write(c.bytes);
    offset += c.bytes.length;
    onBytes(c.bytes.length);
  } while (offset < size);
}

/** Saves one file under `name`. `size`: its size (a hard link: its target's). */
export async function saveFile(target: FileTarget, name: string, size: number, signal: AbortSignal, onProgress: (p: SaveProgress) => void): Promise<void> {
  const sink = new BlobSink();
  await copyFile(target, size, sink, signal, () => onProgress({ files: 0, bytes: sink.written, totalBytes: size }));
  downloadBlob(sink.finish(), name);
}

const TAR_TYPE: Record<string, TarWriteType | undefined> = { '-': 'file', h: 'file', d: 'dir', l: 'symlink', c: 'char', b: 'block', p: 'fifo' };

/**
 * Saves the directory `target` names, as this view shows it, as `<name>.tar`: the directory and
 * everything below it, named from the directory itself (`app/`, `app/serve.py`). A hard link is
 * written as a file holding its target's bytes (its target may lie outside the directory); owners
 * are 0 and times the epoch, as the tree's rows carry neither.
 */
export async function saveDirectory(target: FileTarget, name: string, totalBytes: number | undefined, signal: AbortSignal, onProgress: (p: SaveProgress) => void): Promise<void> {
  const sink = new BlobSink();
  const progress: SaveProgress = { files: 0, bytes: 0, ...(totalBytes !== undefined ? { totalBytes } : {}) };
  const cut = target.path.includes('/') ? target.path.lastIndexOf('/') + 1 : 0;
  for await (const row of rowsBelow(target, signal)) {
    const type = TAR_TYPE[row.type];
    if (!type || row.change === 'removed') continue;
    const size = type === 'file' ? row.size : 0;
    const path = row.path.slice(cut) || name;
    sink.write(tarHeader({ path, type, mode: row.mode & 0o7777, size, ...(type === 'symlink' ? { linkName: row.linkTarget ?? '' } : {}) }));
    if (size > 0) {
      await copyFile({ ...target, path: row.path }, size, sink, signal, (n) => { progress.bytes += n; onProgress({ ...progress }); });
      sink.write(tarPadding(size));
    }
    progress.files++;
    onProgress({ ...progress });
  }
  sink.write(TAR_END_BLOCKS);
  downloadBlob(sink.finish(), `${name}.tar`);
}

/** The directory's own row, then every row below it, in the tree's order. */
async function* rowsBelow(target: FileTarget, signal: AbortSignal): AsyncGenerator<TreeRow> {
  const request: TreeRowsRequest = {
    imageId: target.imageId, view: target.view, expanded: [], expandAll: true, filter: defaultFilter, sort: 'name', offset: 0, limit: 0,
  };
  let offset = target.path === '' ? 0 : await queryEngine({ kind: 'rowOf', request, path: target.path }, signal);
  if (offset < 0) throw new Error(`/${target.path} is not in this view`);
  // The root's children are every row; another directory's end where a row is no deeper than it.
  let depth: number | null = target.path === '' ? -Infinity : null;
  for (;;) {
    const win = await queryEngine({ kind: 'treeRows', request: { ...request, offset, limit: ROWS } }, signal);
    for (const row of win.rows) {
      if (depth === null) depth = row.depth;
      else if (row.depth <= depth) return;
      yield row;
    }
    offset += win.rows.length;
    if (win.rows.length === 0 || offset >= win.total) return;
  }
}
