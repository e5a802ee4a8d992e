// Our own eStargz writer (containerd/stargz-snapshotter, docs/estargz.md; no estargz writer is
// packaged in Debian), following the spec's layout: the blob is a concatenation of gzip members
// (RFC 1952 allows several) whose uncompressed stream is a valid tar, and
//   - a regular file's data starts a new gzip member (its tar header ends the member before); a
//     file larger than `chunkSize` is cut into chunks, a member each; the tar padding after the
//     last chunk and the headers of the entries that follow share that chunk's member;
//   - the TOC member holds the tar entry `stargz.index.json` (the JSON TOC) and the tar's end;
//   - the footer is 51 bytes: an empty gzip member whose FEXTRA field holds the subfield 'S','G'
//     of 22 bytes, "%016x" of the TOC member's offset followed by "STARGZ".
// TOC entries: "reg" for a file (its first chunk), "chunk" for each further chunk, with offset (the
// member holding the chunk), chunkOffset, chunkSize (0 on the last chunk of a chunked file: to the
// end), chunkDigest (sha256 of the chunk) and digest (sha256 of the file). Left out: prefetch
// landmark entries, xattrs, uname/gname; the rest of the field set is the spec's.
//
import { createHash } from 'node:crypto';
import { gzip } from './compress';
import { concatBytes, fileBytes, FIXED_MTIME, TAR_END, writeTarEntries, type FileSpec } from './tar-writer';

export const ESTARGZ_TOC_NAME = 'stargz.index.json';
export const ESTARGZ_FOOTER_SIZE = 51;

const TOC_TYPE: Record<NonNullable<FileSpec['type']>, string> = {
  file: 'reg', dir: 'dir', symlink: 'symlink', hardlink: 'hardlink', char: 'char', block: 'block', fifo: 'fifo',
};

export interface TocEntry {
  name: string;
  type: string;
  size?: number;
  modtime?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  linkName?: string;
  offset?: number;
  chunkOffset?: number;
  chunkSize?: number;
  chunkDigest?: string;
  digest?: string;
}

const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function tocEntry(f: FileSpec): TocEntry {
  const type = f.type ?? 'file';
  const e: TocEntry = {
    name: f.path,
    type: TOC_TYPE[type],
    modtime: new Date((f.mtime ?? FIXED_MTIME) * 1000).toISOString().replace('.000Z', 'Z'),
    mode: f.mode ?? (type === 'dir' ? 0o755 : 0o644),
    uid: f.uid ?? 0,
    gid: f.gid ?? 0,
  };
  if (f.linkname) e.linkName = f.linkname;
  return e;
}

export function estargzFooter(tocOffset: number): Uint8Array {
  const payload = `${tocOffset.toString(16).padStart(16, '0')}STARGZ`;
  const out = new Uint8Array(ESTARGZ_FOOTER_SIZE);
  // ID1 ID2 CM FLG(FEXTRA) MTIME(4) XFL OS(unknown): RFC 1952 section 2.3
  out.set([0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff], 0);
  out.set([26, 0, 0x53, 0x47, 22, 0], 10); // XLEN, SI1 'S', SI2 'G', LEN
  out.set(new TextEncoder().encode(payload), 16);
  out.set([0x01, 0x00, 0x00, 0xff, 0xff], 38); // final stored block of length 0 (RFC 1951 3.2.4)
  // CRC32 and ISIZE of empty data are both zero: bytes 43..50 stay 0.
  return out;
}

export interface EstargzOptions {
  /** Files larger than this are cut into chunks of this many bytes (the spec's writer: 4 MiB). */
  chunkSize?: number;
  /** Tests of hostile TOCs: the JSON text written instead of the TOC (given the TOC as written). */
  editToc?: (toc: { version: number; entries: TocEntry[] }) => string;
  /** Tests of hostile footers: the blob written instead (given the blob as written). */
  editBlob?: (blob: Uint8Array) => Uint8Array;
}

export interface Estargz {
  /** The uncompressed tar (its sha256 is the diff_id). */
  tar: Uint8Array;
  blob: Uint8Array;
  /** The TOC JSON. */
  toc: Uint8Array;
  /** Stored offset of the TOC member. */
  tocOffset: number;
}

export async function writeEstargz(files: FileSpec[], opts: EstargzOptions = {}): Promise<Estargz> {
  const chunkSize = opts.chunkSize ?? 4 << 20;
  const entries = await writeTarEntries(files);
  const members: Uint8Array[] = [];
  const toc: TocEntry[] = [];
  let offset = 0;
  let open: Uint8Array[] = [];
  const close = () => {
    if (open.length === 0) return;
    const m = gzip(concatBytes(open));
    members.push(m);
    offset += m.byteLength;
    open = [];
  };
  entries.forEach((entry, i) => {
    const f = files[i]!;
    const e = tocEntry(f);
    toc.push(e);
    const body = (f.type ?? 'file') === 'file' ? fileBytes(f) : new Uint8Array(0);
    const padded = body.byteLength + ((512 - (body.byteLength % 512)) % 512);
    open.push(entry.subarray(0, entry.byteLength - padded));
    if (body.byteLength === 0) { if ((f.type ?? 'file') === 'file') e.size = 0; return; }
    e.size = body.byteLength;
    e.digest = sha(body);
    let ent: TocEntry = e;
    for (let at = 0; at < body.byteLength; at += chunkSize) {
      close();
      const chunk = body.subarray(at, Math.min(body.byteLength, at + chunkSize));
      ent.offset = offset;
      if (at > 0) ent.chunkOffset = at;
      if (body.byteLength > chunkSize && at + chunkSize < body.byteLength) ent.chunkSize = chunk.byteLength;
      ent.chunkDigest = sha(chunk);
      if (ent !== e) toc.push(ent);
      open.push(chunk);
      ent = { name: f.path, type: 'chunk' };
    }
    open.push(entry.subarray(entry.byteLength - (padded - body.byteLength)));
  });
  close();
  const doc = { version: 1, entries: toc };
  const tocJson = new TextEncoder().encode(opts.editToc ? opts.editToc(doc) : JSON.stringify(doc, null, '\t'));
  const [tocTar] = await writeTarEntries([{ path: ESTARGZ_TOC_NAME, content: tocJson }]);
  const tocTail = concatBytes([tocTar!, TAR_END]);
  const tar = concatBytes([...entries, tocTail]);
  const written = concatBytes([...members, gzip(tocTail), estargzFooter(offset)]);
  const blob = opts.editBlob ? opts.editBlob(written) : written;
  return { tar, blob, toc: tocJson, tocOffset: offset };
}
