// The CLI's file reader: ranges, slices and streams of a file on disk return its bytes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noise } from '../testing';
import { FileByteSource } from './file-source';

const dir = mkdtempSync(join(tmpdir(), 'strata-file-source-'));
const bytes = noise(5 << 20, 3); // larger than one stream chunk (2 MiB)
const path = join(dir, 'archive.bin');
writeFileSync(path, bytes);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const same = (a: Uint8Array, b: Uint8Array) => expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);

describe('FileByteSource', () => {
  it('reads ranges, short only at the end of the file', async () => {
    const f = await FileByteSource.open(path);
    expect(f.size).toBe(bytes.length);
    same(await f.read(1000, 512), bytes.subarray(1000, 1512));
    expect((await f.read(bytes.length - 3, 512)).length).toBe(3);
    await f.dispose();
  });

  it('streams a slice in chunks of at most 2 MiB, with exactly its bytes', async () => {
    const f = await FileByteSource.open(path);
    const slice = f.slice(100, bytes.length - 100);
    const chunks: Uint8Array[] = [];
    const reader = slice.stream(1, slice.size).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(Math.max(...chunks.map((c) => c.length))).toBe(2 << 20);
    same(Buffer.concat(chunks), bytes.subarray(101, bytes.length - 100));
    await f.dispose();
  });

  it('with reuseChunks, hands out chunks a consumer copies before its next read, in order and whole', async () => {
    const f = await FileByteSource.open(path);
    const slice = f.slice(100, bytes.length - 100);
    const chunks: Uint8Array[] = [];
    const reader = slice.stream(1, slice.size, undefined, { reuseChunks: true }).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value.slice());
    same(Buffer.concat(chunks), bytes.subarray(101, bytes.length - 100));
    await f.dispose();
  });
});
