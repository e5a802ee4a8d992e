// The Blob reader every seek-and-read pass goes through: whatever the order of reads, each returns
// the bytes at its offset (forward within a chunk, across chunks, behind the cursor, past a large
// gap, at the end), and reads made at once do not disturb each other.
import { describe, expect, it } from 'vitest';
import { noise } from '../../testing';
import { BlobByteSource, SEEK_GAP } from './blob-source';

// 12 MiB in parts of 100 000 bytes: the Blob's stream hands out chunks that do not align with reads.
const bytes = noise(12 << 20, 7);
const parts: Uint8Array[] = [];
for (let at = 0; at < bytes.length; at += 100_000) parts.push(bytes.subarray(at, at + 100_000));
const blob = new Blob(parts as BlobPart[]);
const expectBytes = (got: Uint8Array, offset: number, length: number) =>
  expect(Buffer.from(got).equals(Buffer.from(bytes.subarray(offset, offset + length)))).toBe(true);

describe('BlobByteSource', () => {
  it('returns the bytes at each offset for forward, backward and far reads', async () => {
    const src = new BlobByteSource(blob);
    const reads: [number, number][] = [
      [0, 16], [16, 512], [99_990, 20], // across a part boundary
      [300_000, 250_000], // several chunks in one read
      [1000, 512], // behind the cursor: a new stream
      [1000 + SEEK_GAP + 1, 4096], // past the gap: a new stream
      [bytes.length - 10, 10], [5, 0],
    ];
    for (const [offset, length] of reads) expectBytes(await src.read(offset, length), offset, length);
    src.close();
  });

  it('returns fewer bytes only where the blob ends', async () => {
    const src = new BlobByteSource(blob);
    expect((await src.read(bytes.length - 100, 512)).length).toBe(100);
    expect((await src.read(bytes.length + 5, 512)).length).toBe(0);
  });

  it('serves reads made at once in order, each with its own bytes', async () => {
    const src = new BlobByteSource(blob);
    const offsets = [7_000_000, 10, 2_000_000, 11_000_000, 500];
    const got = await Promise.all(offsets.map((o) => src.read(o, 70_000)));
    got.forEach((g, i) => expectBytes(g, offsets[i]!, 70_000));
  });

  it('views the bytes at each offset, within a chunk and across chunks, and reads still get their own', async () => {
    const src = new BlobByteSource(blob);
    const kept = await src.read(600, 512);
    for (const [offset, length] of [[0, 512], [512, 512], [99_990, 20], [1_048_000, 1024], [300_000, 2_500_000], [100, 512]] as const) {
      expectBytes(await src.view(offset, length), offset, length);
    }
    expectBytes(kept, 600, 512); // a read's copy is not the cursor's buffer, refilled since
    src.close();
  });

  it('slices without reading, and streams a range', async () => {
    const slice = new BlobByteSource(blob).slice(1_000_000, 3_000_000);
    expect(slice.size).toBe(2_000_000);
    expectBytes(await slice.read(10, 100), 1_000_010, 100);
    const streamed = new Uint8Array(await new Response(slice.stream(5, 1_500_005)).arrayBuffer());
    expectBytes(streamed, 1_000_005, 1_500_000);
    expect(slice.portable()).toEqual({ kind: 'blob', blob: slice.blob });
  });

  it('stops a read and a stream when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the user'));
    const src = new BlobByteSource(blob);
    await expect(src.read(0, 10, controller.signal)).rejects.toThrow('cancelled by the user');
    await expect(new Response(src.stream(0, 1000, controller.signal)).arrayBuffer()).rejects.toThrow('cancelled by the user');
  });
});
