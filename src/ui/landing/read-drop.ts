// Files from a drop: plain files as they are; a dropped folder is walked and its files are named by
// their path inside the folder, e.g. `blobs/sha256/<hex>`. An OCI image layout folder goes to the
// engine as a folder (read file by file: core/source/folder-source.ts); any other folder gives its
// files, each read as an archive.
import type { Dropped, DroppedFolder } from '../../workers/protocol';

/** True when the files look like an OCI image layout (`oci-layout` and `index.json` at the top). */
export function isOciLayout(files: File[]): boolean {
  return files.some((f) => f.name === 'oci-layout') && files.some((f) => f.name === 'index.json');
}

function folder(files: File[], name: string): DroppedFolder {
  return { kind: 'folder', name: `${name}/`, files };
}

type Entry = FileSystemEntry;

function readAllEntries(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const out: Entry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries returns at most ~100 entries per call: call until it returns none.
    const next = () => reader.readEntries((batch) => {
      if (batch.length === 0) resolve(out);
      else {
        out.push(...batch);
        next();
      }
    }, reject);
    next();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** A dropped directory's files are named relative to that directory. */
export async function filesFromDrop(dt: DataTransfer): Promise<Dropped[]> {
  const entries = [...dt.items]
    .filter((it) => it.kind === 'file')
    .map((it) => it.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((e) => e === null)) return [...dt.files];
  const out: Dropped[] = [];
  for (const e of entries as Entry[]) {
    if (e.isDirectory) {
      const inside: File[] = [];
      for (const child of await readAllEntries(e as FileSystemDirectoryEntry)) await walkRel(child, '', inside);
      if (isOciLayout(inside)) out.push(folder(inside, e.name));
      else out.push(...inside);
    } else out.push(await fileOf(e as FileSystemFileEntry));
  }
  return out;
}

async function walkRel(entry: Entry, prefix: string, out: File[]): Promise<void> {
  if (entry.isFile) {
    const f = await fileOf(entry as FileSystemFileEntry);
    out.push(new File([f], prefix + entry.name, { type: f.type, lastModified: f.lastModified }));
  } else if (entry.isDirectory) {
    for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walkRel(child, `${prefix}${entry.name}/`, out);
  }
}

/** Files from a folder picker (`webkitdirectory`): renamed to their path below the chosen folder. */
export function filesFromFolderInput(list: FileList): Dropped[] {
  const files = [...list].map((f) => {
    const rel = f.webkitRelativePath.split('/').slice(1).join('/');
    return rel ? new File([f], rel, { type: f.type, lastModified: f.lastModified }) : f;
  });
  const name = list[0]?.webkitRelativePath.split('/')[0] ?? 'folder';
  return isOciLayout(files) ? [folder(files, name)] : files;
}
