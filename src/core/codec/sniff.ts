import type { Compression } from '../types';

/**
 * Detects the compression of a blob from its first bytes, never from a media type or file name
 * (registries and `docker save` archives mislabel layers often enough).
 * Needs at least 4 bytes to recognise zstd, 3 for gzip.
 */
export function sniffCompression(head: Uint8Array): Compression {
  // RFC 1952 section 2.3.1: ID1 ID2 = 1f 8b, CM = 8 (deflate) is the only method defined.
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.length >= 4) {
    const magic = (head[0]! | (head[1]! << 8) | (head[2]! << 16) | (head[3]! << 24)) >>> 0;
    // RFC 8878 section 3.1.1: a Zstandard frame starts with 0xFD2FB528 (little-endian).
    if (magic === 0xfd2fb528) return 'zstd';
    // RFC 8878 section 3.1.2: skippable frames use 0x184D2A50..0x184D2A5F. A stream may open with
    // one (e.g. seekable-format metadata) and still be zstd; our decoder skips them.
    if ((magic & 0xfffffff0) >>> 0 === 0x184d2a50) return 'zstd';
  }
  return 'none';
}
