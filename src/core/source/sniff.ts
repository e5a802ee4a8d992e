// Recognise what a file is from its first bytes, never its name, and fail fast with a message
// that says what it looks like instead.

import { sniffCompression } from '../codec';
import { looksLikeTarHeader } from '../tar';
import type { Compression } from '../types';
import { FormatError } from '../image/json';

export type ArchiveKind = { container: 'tar'; outer: Compression };

const KNOWN_MAGIC: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
  [[0x42, 0x5a, 0x68], 'a bzip2 stream (not supported: use gzip or zstd)'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'an xz stream (not supported: use gzip or zstd)'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF executable'],
];

export function describeBytes(head: Uint8Array): string {
  for (const [magic, name] of KNOWN_MAGIC) {
    if (magic.every((b, i) => head[i] === b)) return name;
  }
  const hex = Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `unrecognised data (first bytes ${hex})`;
}

/** Decide how to read an archive from its first block; throws a FormatError for anything else. */
export function sniffArchive(head: Uint8Array, name: string): ArchiveKind {
  if (head.length === 0) throw new FormatError(`${name} is empty`);
  const outer = sniffCompression(head);
  if (outer !== 'none') return { container: 'tar', outer };
  if (head.length >= 512 && looksLikeTarHeader(head.subarray(0, 512))) return { container: 'tar', outer: 'none' };
  if (head.length < 512) throw new FormatError(`${name} is ${head.length} bytes: too short to be a tar archive (${describeBytes(head)})`);
  throw new FormatError(`${name} is not a tar archive or an image: byte 0 starts ${describeBytes(head)}`);
}
