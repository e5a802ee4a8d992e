// A file on disk as a ByteSource, read with positioned reads on one FileHandle. Node's
// `openAsBlob().stream()` delivers 64 KiB at a time, each chunk a trip through the thread pool:
// on the bench's 2.1 GB docker-save archive, `analyze --no-verify` took 29-40 s (7.6-10.4 s of CPU)
// that way and 19-22 s (5.6-5.7 s of CPU) with 2 MiB reads, on the shared 2-core machine at load
// 17-18. Slices share the handle.

import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource, StreamOptions } from '../core/source/types';

/** Bytes per read of a stream: large enough that the per-read cost vanishes, small enough to stay cache-friendly. */
const CHUNK = 2 << 20;

export class FileByteSource implements ByteSource {
  private constructor(private readonly handle: FileHandle, private readonly start: number, readonly size: number) {}

  /** Opens `path`; dispose() closes it once nothing reads it any more. */
  static async open(path: string): Promise<FileByteSource> {
    const handle = await open(path, 'r');
    const { size } = await handle.stat();
    return new FileByteSource(handle, 0, size);
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    signal?.throwIfAborted();
    return this.readInto(new Uint8Array(Math.max(0, Math.min(length, this.size - offset))), offset);
  }

  /** Fills `out` from `offset`; fewer bytes only where the file ends first. */
  private async readInto(out: Uint8Array, offset: number): Promise<Uint8Array> {
    let n = 0;
    while (n < out.length) {
      const { bytesRead } = await this.handle.read(out, n, out.length - n, this.start + offset + n);
      if (bytesRead === 0) break; // the file shrank under us
      n += bytesRead;
    }
    return n === out.length ? out : out.subarray(0, n);
  }

  stream(from = 0, to = this.size, signal?: AbortSignal, opts?: StreamOptions): ReadableStream<Uint8Array> {
    let at = from;
    const end = Math.min(to, this.size);
    // reuseChunks: two buffers in turn, one queued and one with the consumer, who is done with a
    // chunk when it reads the next (that read calls the pull that refills the other buffer).
    const ring = opts?.reuseChunks ? [new Uint8Array(CHUNK), new Uint8Array(CHUNK)] : undefined;
    let turn = 0;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (signal?.aborted) { controller.error(signal.reason); return; }
        if (at >= end) { controller.close(); return; }
        const want = Math.min(CHUNK, end - at);
        const chunk = ring ? await this.readInto(ring[turn++ % 2]!.subarray(0, want), at) : await this.read(at, want);
        if (chunk.length === 0) { controller.close(); return; }
        at += chunk.length;
        controller.enqueue(chunk);
      },
    }, { highWaterMark: 1 });
  }

  slice(from: number, to: number): FileByteSource {
    const a = Math.min(Math.max(0, from), this.size);
    return new FileByteSource(this.handle, this.start + a, Math.max(0, Math.min(to, this.size) - a));
  }

  /** Closes the file (for every slice too). */
  dispose(): Promise<void> {
    return this.handle.close();
  }
}
