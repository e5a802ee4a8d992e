// An approximation of eStargz (containerd/stargz-snapshotter, docs/estargz.md), enough to exercise
// readers on what matters: the blob is a concatenation of gzip members (RFC 1952 allows several),
// and the uncompressed stream is a valid tar whose last entry, `stargz.index.json`, is metadata (the
// TOC), not part of the image filesystem.
//
// Layout written here:
//   member per entry:   gzip(tar header [+ PAX] + content + padding)
//   TOC member:         gzip(tar header of stargz.index.json + TOC JSON + padding + 1024 zero bytes)
//   footer member:      51 bytes: empty gzip member whose FEXTRA field ('S','G') holds
//                       "%016x" of the TOC member's offset followed by "STARGZ".
// Simplifications: no chunking of large files, no prefetch landmark entries, no per-chunk digests,
// and the TOC entry list is a subset of the real field set (name, type, size, mode, uid, gid,
// modtime, linkName, offset, digest).

import { createHash } from 'node:crypto';
import { gzip } from './compress';
import { concatBytes, fileBytes, FIXED_MTIME, TAR_END, writeTarEntries, type FileSpec } from './tar-writer';

export const ESTARGZ_TOC_NAME = 'stargz.index.json';
export const ESTARGZ_FOOTER_SIZE = 51;

const TOC_TYPE: Record<NonNullable<FileSpec['type']>, string> = {
  file: 'reg', dir: 'dir', symlink: 'symlink', hardlink: 'hardlink', char: 'char', block: 'block', fifo: 'fifo',
};

interface TocEntry {
  name: string;
  type: string;
  size?: number;
  modtime: string;
  mode: number;
  uid: number;
  gid: number;
  linkName?: string;
  offset?: number;
  digest?: string;
}

function tocEntry(f: FileSpec, offset: number): TocEntry {
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
  if (type === 'file') {
    const bytes = fileBytes(f);
    e.size = bytes.byteLength;
    if (bytes.byteLength > 0) {
      e.offset = offset;
      e.digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    }
  }
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

export async function writeEstargz(
  files: FileSpec[],
): Promise<{ tar: Uint8Array; blob: Uint8Array; toc: Uint8Array }> {
  const entries = await writeTarEntries(files);
  const members: Uint8Array[] = [];
  const toc: TocEntry[] = [];
  let offset = 0;
  entries.forEach((entry, i) => {
    toc.push(tocEntry(files[i]!, offset));
    const member = gzip(entry);
    members.push(member);
    offset += member.byteLength;
  });
  const tocJson = new TextEncoder().encode(JSON.stringify({ version: 1, entries: toc }, null, '\t'));
  const [tocTar] = await writeTarEntries([{ path: ESTARGZ_TOC_NAME, content: tocJson }]);
  const tocTail = concatBytes([tocTar!, TAR_END]);
  const tar = concatBytes([...entries, tocTail]);
  const blob = concatBytes([...members, gzip(tocTail), estargzFooter(offset)]);
  return { tar, blob, toc: tocJson };
}
