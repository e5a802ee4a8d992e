// What a file is, from its first bytes (magic numbers; never its name): the details pane's type
// line and whether it shows text, hex or an image.

import type { ContentType, TextEncoding } from './types';

/** Bytes of the file's start that sniffing looks at. */
export const SNIFF_BYTES = 4096;

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const ascii = (b: Uint8Array, text: string, at = 0): boolean =>
  startsWith(b, [...text].map((c) => c.charCodeAt(0)), at);

const MAGIC: [ContentType, (b: Uint8Array) => boolean][] = [
  ['elf', (b) => startsWith(b, [0x7f, 0x45, 0x4c, 0x46])],
  ['mach-o', (b) => [[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe]].some((s) => startsWith(b, s))],
  ['wasm', (b) => startsWith(b, [0x00, 0x61, 0x73, 0x6d])],
  ['pe', (b) => ascii(b, 'MZ') && b.length >= 64],
  ['java-class', (b) => startsWith(b, [0xca, 0xfe, 0xba, 0xbe])],
  // CPython's .pyc: a 2-byte magic number (per version) then '\r\n', then 12 bytes of flags and
  // source stamp (PEP 552); magics of 3.x are 3000-3999 little-endian.
  ['python-bytecode', (b) => b.length >= 16 && b[2] === 0x0d && b[3] === 0x0a && ((b[0]! | (b[1]! << 8)) >= 2900) && ((b[0]! | (b[1]! << 8)) < 4000)],
  ['gzip', (b) => startsWith(b, [0x1f, 0x8b])],
  ['zstd', (b) => startsWith(b, [0x28, 0xb5, 0x2f, 0xfd])],
  ['xz', (b) => startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['bzip2', (b) => ascii(b, 'BZh')],
  ['7z', (b) => startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
  ['zip', (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])],
  ['tar', (b) => ascii(b, 'ustar', 257)],
  ['png', (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['jpeg', (b) => startsWith(b, [0xff, 0xd8, 0xff])],
  ['gif', (b) => ascii(b, 'GIF87a') || ascii(b, 'GIF89a')],
  ['webp', (b) => ascii(b, 'RIFF') && ascii(b, 'WEBP', 8)],
  ['bmp', (b) => ascii(b, 'BM') && b.length >= 26],
  ['ico', (b) => startsWith(b, [0x00, 0x00, 0x01, 0x00]) && b.length >= 22],
  ['pdf', (b) => ascii(b, '%PDF-')],
  ['sqlite', (b) => ascii(b, 'SQLite format 3\0')],
];

/** The type of a file whose first bytes are `head` (up to SNIFF_BYTES), and a text file's encoding. */
export function sniffContent(head: Uint8Array, size: number): { type: ContentType; encoding?: TextEncoding } {
  if (size === 0) return { type: 'empty' };
  for (const [type, test] of MAGIC) if (test(head)) return { type };
  const encoding = textEncoding(head, head.length < size);
  if (!encoding) return { type: 'binary' };
  if (encoding === 'utf-8' && ascii(head, '#!')) return { type: 'shebang-script', encoding };
  if (encoding === 'utf-8' && looksLikeSvg(head)) return { type: 'svg', encoding };
  return { type: 'text', encoding };
}

/** UTF-16 by its byte-order mark; UTF-8 when it decodes (a sequence cut at the end of a partial head is fine). */
function textEncoding(b: Uint8Array, cut: boolean): TextEncoding | undefined {
  if (startsWith(b, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(b, [0xfe, 0xff])) return 'utf-16be';
  let controls = 0;
  let i = startsWith(b, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  let utf8 = true;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c === 0) return undefined;
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) controls++;
      i++;
      continue;
    }
    const n = c >= 0xf0 && c < 0xf5 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
    if (n < 0 || c >= 0xf5) { utf8 = false; i++; continue; }
    if (i + n >= b.length && cut) break;
    let ok = i + n < b.length;
    for (let k = 1; ok && k <= n; k++) ok = (b[i + k]! & 0xc0) === 0x80;
    if (!ok) utf8 = false;
    i += ok ? n + 1 : 1;
  }
  if (controls > b.length / 100 + 1) return undefined;
  return utf8 ? 'utf-8' : 'other-8bit';
}

function looksLikeSvg(b: Uint8Array): boolean {
  const text = new TextDecoder().decode(b.subarray(0, 1024)).trimStart().toLowerCase();
  if (text.startsWith('<svg')) return true;
  return (text.startsWith('<?xml') || text.startsWith('<!doctype svg') || text.startsWith('<!--')) && text.includes('<svg');
}
