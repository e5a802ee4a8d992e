// A string table: UTF-8 bytes of every string back to back, plus offsets. One allocation for a
// million paths instead of a million JS strings; transferable to and from workers.

import { decodeUtf8, encodeUtf8Into } from '../utf8';

export interface StringTableData {
  bytes: Uint8Array;
  /** offsets[i]..offsets[i+1] are the bytes of string i; length is count + 1. */
  offsets: Uint32Array;
  count: number;
}

export class StringTableBuilder {
  private bytes = new Uint8Array(1 << 16);
  private offsets = new Uint32Array(1 << 12);
  private length = 0;
  count = 0;

  add(value: string): number {
    // A UTF-8 encoding is at most 3 bytes per UTF-16 code unit.
    this.reserveBytes(value.length * 3);
    return this.push(encodeUtf8Into(value, this.bytes, this.length));
  }

  /** Add a string already encoded as UTF-8 (as read from a tar header). */
  addBytes(value: Uint8Array): number {
    this.reserveBytes(value.length);
    this.bytes.set(value, this.length);
    return this.push(value.length);
  }

  private push(written: number): number {
    if (this.count + 2 > this.offsets.length) {
      const next = new Uint32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.length += written;
    this.count += 1;
    this.offsets[this.count] = this.length;
    return this.count - 1;
  }

  private reserveBytes(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  finish(): StringTableData {
    return {
      bytes: this.bytes.slice(0, this.length),
      offsets: this.offsets.slice(0, this.count + 1),
      count: this.count,
    };
  }
}

export function getString(table: StringTableData, id: number): string {
  const start = table.offsets[id];
  const end = table.offsets[id + 1];
  if (start === undefined || end === undefined) throw new RangeError(`string ${id} out of range`);
  return decodeUtf8(table.bytes, start, end);
}
