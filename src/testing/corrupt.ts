// Corruptions for error-path tests. Both return a copy; the input is never changed.

/** Inverts every bit of the byte at `offset` (negative offsets count from the end). */
export function flipByte(bytes: Uint8Array, offset: number): Uint8Array {
  const at = offset < 0 ? bytes.byteLength + offset : offset;
  if (at < 0 || at >= bytes.byteLength) {
    throw new RangeError(`flipByte: offset ${offset} outside ${bytes.byteLength} bytes`);
  }
  const out = bytes.slice();
  out[at] = out[at]! ^ 0xff;
  return out;
}

/** The first `length` bytes (negative: all but the last -length bytes). */
export function truncate(bytes: Uint8Array, length: number): Uint8Array {
  const end = length < 0 ? Math.max(0, bytes.byteLength + length) : Math.min(length, bytes.byteLength);
  return bytes.slice(0, end);
}
