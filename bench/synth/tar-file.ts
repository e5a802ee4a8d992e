// A tar written straight to a file descriptor, entry by entry, so a 1.5 GB layer never sits in
// memory. ustar headers (POSIX.1-1988 "ustar Interchange Format"): long names split at a '/' into
// the 155-byte prefix; sizes in 11 octal digits (enough below 8 GiB, our largest file is 400 MB).
// The sha256 of every byte written is kept as we go: for a layer it is the diff_id.

import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

export const FIXED_MTIME = 1714564800;
const BLOCK = 512;
const BUFFER = 4 * 1024 * 1024;

export type EntryType = 'file' | 'dir' | 'symlink';

export interface EntryHeader {
  path: string;
  type: EntryType;
  size?: number;
  mode?: number;
  linkname?: string;
}

const TYPEFLAG: Record<EntryType, string> = { file: '0', dir: '5', symlink: '2' };

export class TarFile {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(BUFFER);
  private used = 0;
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Writes one header; the caller then writes exactly `size` body bytes and calls `pad`. */
  header(h: EntryHeader): void {
    const block = Buffer.alloc(BLOCK);
    let name = h.type === 'dir' && !h.path.endsWith('/') ? `${h.path}/` : h.path;
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', name.length - 2);
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
      if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`path too long for ustar: ${h.path}`);
    }
    block.write(name, 0, 100, 'utf8');
    octal(block, 100, 8, h.mode ?? (h.type === 'dir' ? 0o755 : h.type === 'symlink' ? 0o777 : 0o644));
    octal(block, 108, 8, 0);
    octal(block, 116, 8, 0);
    octal(block, 124, 12, h.type === 'file' ? (h.size ?? 0) : 0);
    octal(block, 136, 12, FIXED_MTIME);
    block.fill(0x20, 148, 156);
    block.write(TYPEFLAG[h.type], 156, 1, 'ascii');
    if (h.linkname) block.write(h.linkname, 157, 100, 'utf8');
    block.write('ustar\u000000', 257, 8, 'ascii');
    block.write('root', 265, 32, 'ascii');
    block.write('root', 297, 32, 'ascii');
    if (prefix) block.write(prefix, 345, 155, 'utf8');
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += block[i]!;
    block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
    this.write(block);
  }

  write(bytes: Uint8Array): void {
    this.bytes += bytes.length;
    if (bytes.length >= BUFFER) {
      this.flush();
      this.hash.update(bytes);
      writeSync(this.fd, bytes);
      return;
    }
    if (this.used + bytes.length > BUFFER) this.flush();
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Zero-fills to the next 512-byte block after a body of `size` bytes. */
  pad(size: number): void {
    const rest = (BLOCK - (size % BLOCK)) % BLOCK;
    if (rest) this.write(new Uint8Array(rest));
  }

  /** A whole file entry from bytes in memory. */
  file(path: string, body: Uint8Array, mode?: number): void {
    this.header({ path, type: 'file', size: body.length, ...(mode ? { mode } : {}) });
    this.write(body);
    this.pad(body.length);
  }

  /** The two zero blocks that end an archive; returns the sha256 of everything written. */
  close(): string {
    this.write(new Uint8Array(2 * BLOCK));
    this.flush();
    closeSync(this.fd);
    return `sha256:${this.hash.digest('hex')}`;
  }

  private flush(): void {
    if (!this.used) return;
    const view = this.buf.subarray(0, this.used);
    this.hash.update(view);
    writeSync(this.fd, view);
    this.used = 0;
  }
}

function octal(block: Buffer, at: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, at, width, 'ascii');
}
