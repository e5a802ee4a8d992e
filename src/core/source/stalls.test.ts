// Chromium 156 can leave a BYOB read of a Blob's stream pending for good (bench/README.md, "BYOB
// stalls"): a layer's load would then hang with the CPU idle. A stall cannot be made on demand in
// a real browser, so these byte streams stall where told (their pull never answers), and the
// readers must go on from a new stream at the first byte they had not read, with every byte right.
import { describe, expect, it } from 'vitest';
import { noise } from '../../testing';
import { BlobByteSource } from './blob-source';
import { ReadStalledError, reusingStream } from './streams';

const bytes = noise(5 << 20, 3);

/** A byte stream of `bytes` from `from`, at most 256 KiB a read; its pull at `stallAt` never answers. */
function stallingStream(from: number, stallAt: number | undefined): ReadableStream<Uint8Array> {
  let at = from;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (at === stallAt) return new Promise<void>(() => undefined);
      if (at >= bytes.length) { controller.close(); controller.byobRequest?.respond(0); return; }
      const view = controller.byobRequest!.view!;
      const n = Math.min(view.byteLength, 256 << 10, bytes.length - at);
      new Uint8Array(view.buffer, view.byteOffset, n).set(bytes.subarray(at, at + n));
      at += n;
      controller.byobRequest!.respond(n);
    },
  });
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out.subarray(0, n);
    out.set(value, n); // copied before the next read: the chunk's buffer is refilled then
    n += value.length;
  }
}

describe('a BYOB read that never answers', () => {
  it('is read again from a new stream at the first byte not yet read', async () => {
    const opened: number[] = [];
    // The first stream stalls at 2 MiB; the one opened there does not.
    const open = (o: number) => { opened.push(o); return stallingStream(o, opened.length === 1 ? 2 << 20 : undefined); };
    const got = await drain(reusingStream(open, undefined, { stallMs: 50 }));
    expect(opened).toEqual([0, 2097152]);
    expect(got.length).toBe(5242880);
    expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
  });

  it('is an error naming the byte where reading stopped when every new stream stalls there too', async () => {
    const opened: number[] = [];
    const open = (o: number) => { opened.push(o); return stallingStream(o, 1 << 20); };
    const err = await drain(reusingStream(open, undefined, { stallMs: 20 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadStalledError);
    expect((err as Error).message).toBe('reading stopped at byte 1048576: the browser answered none of 5 reads there');
    expect(opened).toEqual([0, 1048576, 1048576, 1048576, 1048576]);
  });

  it('leaves the bytes the seek-and-read cursor returns right, behind and after the stall', async () => {
    const opened: number[] = [];
    // A Blob whose streams come from stallingStream: the first one opened stalls at 1 MiB.
    const blobAt = (from: number): Blob => ({
      size: bytes.length - from,
      slice: (start = 0) => blobAt(from + start),
      stream: () => { opened.push(from); return stallingStream(from, opened.length === 1 ? 1 << 20 : undefined); },
    }) as unknown as Blob;
    const src = new BlobByteSource(blobAt(0), { stallMs: 50 });
    const reads: [number, number][] = [[0, 512], [1_000_000, 100_000], [1_048_576, 512], [3_000_000, 70_000]];
    for (const [offset, length] of reads) {
      const got = await src.read(offset, length);
      expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);
    }
    expect(opened).toEqual([0, 1048576]);
    src.close();
  });
});
