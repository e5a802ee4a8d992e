// Decoding of fixed-width header fields straight from bytes, without building strings.
// Layout: POSIX.1-2017 pax "ustar Interchange Format"; GNU tar manual, "Basic Tar Format".

import { decodeUtf8 } from '../utf8';
import { BLOCK } from './types';

/** Index of the first NUL in b[off, off+len), or off+len when the field fills its width. */
export function fieldEnd(b: Uint8Array, off: number, len: number): number {
  const end = off + len;
  for (let i = off; i < end; i++) if (b[i] === 0) return i;
  return end;
}

/**
 * A NUL-terminated text field as UTF-8 with replacement: POSIX says names are portable bytes, PAX
 * says UTF-8, old archives may be latin1; a name never throws.
 */
export function readText(b: Uint8Array, off: number, len: number): string {
  if (b[off] === 0) return '';
  return decodeUtf8(b, off, fieldEnd(b, off, len));
}

/**
 * A numeric field: octal digits optionally surrounded by spaces/NULs (POSIX ustar), or GNU base-256
 * when the first byte has its high bit set (0x80 positive, 0xff negative two's complement; GNU tar
 * manual, "Numeric Extensions"), which is how sizes of 8 GiB and more are written.
 * Returns NaN for a field holding anything else, so callers can tell corruption from zero.
 */
export function readNumber(b: Uint8Array, off: number, len: number): number {
  const first = b[off]!;
  if (first & 0x80) return readBase256(b, off, len);
  const end = off + len;
  let i = off;
  while (i < end && b[i] === 0x20) i++;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x37) break;
    v = v * 8 + (c - 0x30);
  }
  for (; i < end; i++) {
    const c = b[i]!;
    if (c !== 0 && c !== 0x20) return NaN;
  }
  return v;
}

function readBase256(b: Uint8Array, off: number, len: number): number {
  const negative = b[off] === 0xff;
  let v = negative ? 0 : b[off]! & 0x7f;
  for (let i = off + 1; i < off + len; i++) {
    v = v * 256 + (negative ? ~b[i]! & 0xff : b[i]!);
  }
  return negative ? -(v + 1) : v;
}

/** True when all 512 bytes are zero: the end-of-archive marker (POSIX ustar: two zero blocks). */
export function isZeroBlock(b: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

export const enum Checksum { Ok, Zero, Bad }

/**
 * POSIX: the checksum is the sum of the header bytes with the chksum field (148..156) taken as
 * spaces. Some historic tars summed signed chars; GNU tar accepts either, and so do we.
 */
export function verifyChecksum(b: Uint8Array): Checksum {
  const { sum, high } = (b.byteOffset & 3) === 0 ? sumWords(b) : sumBytes(b);
  if (sum === 0) return Checksum.Zero;
  let field = 0;
  let fieldHigh = 0;
  for (let i = 148; i < 156; i++) {
    field += b[i]!;
    fieldHigh += b[i]! >> 7;
  }
  // Digits or leading spaces only: an empty or base-256 checksum field is not a header.
  const f0 = b[148]!;
  if (f0 !== 0x20 && (f0 < 0x30 || f0 > 0x37)) return Checksum.Bad;
  const stored = readNumber(b, 148, 8);
  const unsigned = sum - field + 8 * 0x20;
  const signed = unsigned - 256 * (high - fieldHigh);
  return stored === unsigned || stored === signed ? Checksum.Ok : Checksum.Bad;
}

const sums = { sum: 0, high: 0 };

/** Byte sum and count of bytes >= 0x80, one byte at a time. */
function sumBytes(b: Uint8Array): typeof sums {
  let sum = 0;
  let high = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = b[i]!;
    sum += c;
    high += c >> 7;
  }
  sums.sum = sum;
  sums.high = high;
  return sums;
}

/** The same four bytes at a time (the header is on the hot path: once per entry). Lanes cannot
 *  overflow: 16-bit lanes hold at most 2 * 255 * 128, 8-bit high counts at most 128. */
function sumWords(b: Uint8Array): typeof sums {
  const w = new Uint32Array(b.buffer, b.byteOffset, BLOCK / 4);
  let lanes = 0;
  let highs = 0;
  for (let i = 0; i < BLOCK / 4; i++) {
    const v = w[i]!;
    lanes += (v & 0x00ff00ff) + ((v >>> 8) & 0x00ff00ff);
    highs += (v >>> 7) & 0x01010101;
  }
  sums.sum = (lanes & 0xffff) + (lanes >>> 16);
  sums.high = (highs & 0xff) + ((highs >>> 8) & 0xff) + ((highs >>> 16) & 0xff) + (highs >>> 24);
  return sums;
}

/** Sniff a plain tar: a non-zero block whose checksum holds (ustar, GNU or V7 headers alike). */
export function looksLikeTarHeader(block: Uint8Array): boolean {
  return block.length >= BLOCK && verifyChecksum(block) === Checksum.Ok;
}

/** "ustar\0" + "00": POSIX ustar, whose prefix field (345..500) extends the name. */
export function isPosixUstar(b: Uint8Array): boolean {
  return b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 &&
    b[261] === 0x72 && b[262] === 0;
}
