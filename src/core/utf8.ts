// UTF-8 for the many short strings of an index: tar names, path components, string tables.
//
// Chromium's TextDecoder and TextEncoder cost a binding call each, ~2.3 and ~1.2 us on a 60-byte
// name (bench/README.md, "Quick pass and one read"): on 40k tar headers and their paths, a fifth
// of the engine's time to the first tree. Names are nearly always ASCII, where one byte is one
// UTF-16 code unit: those are built in JS (~0.6 and ~0.15 us); anything else takes the platform's
// codec, so the results are the same, byte for byte, replacement characters and all.

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** Longer runs go to TextDecoder, whose per-byte speed wins and whose call cost no longer matters. */
const SHORT = 256;

/** `bytes[start, end)` as text, invalid sequences replaced by U+FFFD (as TextDecoder does). */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (n <= 0) return '';
  if (n > SHORT) return decoder.decode(bytes.subarray(start, end));
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return decoder.decode(bytes.subarray(start, end));
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

/**
 * Writes `value` as UTF-8 at `dest[at]` and returns the bytes written; `dest` must have room for
 * `value.length * 3` bytes from `at` (the most UTF-8 can take per UTF-16 code unit).
 */
export function encodeUtf8Into(value: string, dest: Uint8Array, at: number): number {
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) return encoder.encodeInto(value, dest.subarray(at)).written;
    dest[at + i] = c;
  }
  return n;
}

/** `value` as UTF-8 bytes, a new array. */
export function encodeUtf8(value: string): Uint8Array {
  const out = new Uint8Array(value.length * 3);
  return out.subarray(0, encodeUtf8Into(value, out, 0));
}

/** The length of `value` in UTF-8 bytes, without encoding it. */
export function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { bytes += 4; i++; }
    else bytes += 3; // the rest of the BMP; a lone surrogate is encoded as U+FFFD, 3 bytes
  }
  return bytes;
}
