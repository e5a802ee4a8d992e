// Files of estargz layers read through the TOC: just the gzip member(s) of the file, or of the
// chunk holding a window of a large file, each checked against its sha256 in the TOC. The layers
// come from our own estargz writer (src/testing/estargz.ts: no estargz writer is packaged in
// Debian), which follows the spec's layout; dive's test image holds one a real tool wrote. The TOC
// is taken apart here with Node's zlib and GNU tar, not with the code under test.
import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { readArchive, type ArchiveResult } from '../pipeline/read-archive';
import { analyseImage } from '../analysis/analyse-image';
import { FINAL } from '../merge';
import { buildLayer, concatBytes, flipByte, gzip, letters, writeOciLayout, type LayerSpec } from '../../testing';
import { readMember } from '../../testing/gnu-tar';
import { TarImageSource } from '../source/archive-source';
import { BlobByteSource } from '../source/blob-source';
import { haveDive, diveFixture, SKIP_DIVE } from '../../../test/shared-fixtures';
import { layerBytesOf } from './archive-layers';
import { readFileContent } from './read-file';

const MiB = 1 << 20;
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

const OS_RELEASE = 'PRETTY_NAME="Strata Test 1"\nID=strata\n';
const MIDDLE = 'middle of the layer\n';
const LAST = 'the last file of the layer\n';
/** Larger than WHOLE_FILE_LIMIT (16 MiB): read by window, from 1 MiB chunks. */
const BIG = letters(20 * MiB, 7);

const A = letters(3 * MiB, 1);

/** The layer: with `big`, a 20 MiB file in the middle (costly to write, so only where needed). */
const spec = (extra: Partial<LayerSpec> = {}, big = false): LayerSpec => ({
  createdBy: 'COPY . /', compression: 'estargz', estargzChunkSize: MiB, ...extra,
  files: [
    { path: 'etc/os-release', content: OS_RELEASE },
    { path: 'opt/middle.txt', content: MIDDLE },
    { path: 'opt/a.bin', content: A },
    ...(big ? [{ path: 'opt/big.bin', content: BIG }] : []),
    { path: 'zz/last.txt', content: LAST },
  ],
});

/** The layer with the big file, and the image holding it, written once. */
let withBig: Promise<{ layer: Uint8Array; image: Uint8Array }> | undefined;
const bigLayer = () => withBig ??= (async () => ({ layer: (await buildLayer(spec({}, true))).blob, image: await writeOciLayout([{ tags: ['t:1'], layers: [spec({}, true)] }]) }))();

interface TocEntryJson { name: string; type: string; offset?: number; chunkOffset?: number; chunkSize?: number; chunkDigest?: string; digest?: string }

/** The TOC of an estargz blob: the footer's hex offset, that member gunzipped, the JSON read by GNU tar. */
function tocOf(blob: Uint8Array): { tocAt: number; entries: TocEntryJson[] } {
  const footer = Buffer.from(blob.subarray(blob.length - 51)).toString('latin1');
  const tocAt = parseInt(/([0-9a-f]{16})STARGZ/.exec(footer)![1]!, 16);
  const json = readMember(new Uint8Array(gunzipSync(blob.subarray(tocAt))), 'stargz.index.json');
  return { tocAt, entries: (JSON.parse(decode(json)) as { entries: TocEntryJson[] }).entries };
}

async function open(layer: LayerSpec, bytes?: Uint8Array): Promise<{ archive: ArchiveResult; read: (path: string, offset?: number, length?: number) => ReturnType<typeof readFileContent> }> {
  const archive = await readArchive(new Blob([(bytes ?? await writeOciLayout([{ tags: ['t:1'], layers: [layer] }])) as BlobPart]));
  const image = archive.images[0]!;
  const merged = analyseImage(image, archive.results).merged;
  return { archive, read: (path, offset = 0, length = 1 << 30) => readFileContent(merged, FINAL, path, offset, length, { layerBytes: layerBytesOf(archive, image) }) };
}

describe('an estargz layer read through its TOC', () => {
  it('reads known contents at the start, the middle and the end, each from its own member', async () => {
    const { read } = await open(spec());
    const first = await read('etc/os-release');
    expect(decode(first.bytes)).toBe(OS_RELEASE);
    expect(first.how).toBe('estargz-toc');
    expect(first.check).toBe('whole-file');
    expect(first.note).toBeUndefined();
    const middle = await read('opt/middle.txt');
    expect(decode(middle.bytes)).toBe(MIDDLE);
    expect(middle.how).toBe('estargz-toc');
    // The TOC is read once per layer; then a small file costs its member, not a MiB before it.
    expect(middle.cost.storedBytes).toBeLessThan(2048);
    expect(middle.cost.skippedBytes).toBe(0);
    const last = await read('zz/last.txt');
    expect(decode(last.bytes)).toBe(LAST);
    expect(last.cost.storedBytes).toBeLessThan(2048);
    const a = await read('opt/a.bin');
    expect(Buffer.from(a.bytes).equals(Buffer.from(A))).toBe(true);
    expect(a.check).toBe('whole-file');
  });

  it('reads a window of a chunked large file from the chunk holding it, checked by its chunkDigest', async () => {
    const { layer: blob, image } = await bigLayer();
    const { entries } = tocOf(blob);
    const chunks = entries.filter((e) => e.name === 'opt/big.bin');
    expect(chunks.map((c) => c.type)).toEqual(['reg', ...Array(19).fill('chunk')]);
    const member = (k: number) => chunks[k + 1]!.offset! - chunks[k]!.offset!;
    const { read } = await open(spec({}, true), image);
    await read('etc/os-release'); // the TOC is read here
    const at = 10 * MiB + MiB / 2;
    const w = await read('opt/big.bin', at, 16);
    expect(Array.from(w.bytes)).toEqual(Array.from(BIG.subarray(at, at + 16)));
    expect(w.size).toBe(20 * MiB);
    expect(w.how).toBe('estargz-toc');
    expect(w.check).toBe('chunk-digest');
    // Chunk 10's member, plus the start of chunk 0's for the type sniff: not the layer.
    expect(w.cost.storedBytes).toBeGreaterThanOrEqual(member(10));
    expect(w.cost.storedBytes).toBeLessThanOrEqual(member(10) + member(0));
    expect(member(10) + member(0)).toBeLessThan(blob.length / 8);
    expect(w.type).toBe('text');
  });

  it('a flipped byte inside the chunk read is an error, not other bytes', async () => {
    const s = spec({}, true);
    const { layer: blob, image: good } = await bigLayer();
    const chunk10 = tocOf(blob).entries.filter((e) => e.name === 'opt/big.bin')[10]!;
    const start = Buffer.from(good).indexOf(Buffer.from(blob.subarray(0, 64)));
    expect(start).toBeGreaterThan(0);
    const bad = flipByte(good, start + chunk10.offset! + 5000);
    const { archive, read } = await open(s, good);
    const image = archive.images[0]!;
    const merged = analyseImage(image, archive.results).merged;
    const damaged = new TarImageSource(new BlobByteSource(new Blob([bad as BlobPart])));
    const listing = await damaged.list();
    const sources = new Map(listing.images[0]!.layers.map((plan, j) => [image.layers[j]!.key as string, damaged.layer(plan)]));
    const readBad = () => readFileContent(merged, FINAL, 'opt/big.bin', 10 * MiB + 100, 16, { layerBytes: layerBytesOf({ ...archive, sources }, image) });
    await expect(readBad()).rejects.toThrow(/^\/opt\/big\.bin: (the estargz chunk \[10485760, 11534336\) in the gzip member at byte \d+ of the layer does not decode|bytes \[10485760, 11534336\) read from the gzip member at byte \d+ of the layer do not match their sha256 in the estargz TOC)/);
    expect(Array.from((await read('opt/big.bin', 10 * MiB + 100, 16)).bytes)).toEqual(Array.from(BIG.subarray(10 * MiB + 100, 10 * MiB + 116)));
  });

  it('a TOC whose sha256 for a chunk is wrong is an error naming the chunk', async () => {
    const { read } = await open(spec({
      estargzEditToc: (toc) => JSON.stringify({ ...toc, entries: toc.entries.map((e) => e.name === 'opt/a.bin' && e.chunkOffset === 2 * MiB ? { ...e, chunkDigest: `sha256:${'0'.repeat(64)}` } : e) }),
    }));
    await expect(read('opt/a.bin', 10, 10)).rejects.toThrow(/^\/opt\/a\.bin: bytes \[2097152, 3145728\) read from the gzip member at byte \d+ of the layer do not match their sha256 in the estargz TOC \(the layer is damaged, or changed since\)$/);
    expect(decode((await read('zz/last.txt')).bytes)).toBe(LAST);
  });
});

/** A footer's "%016x" replaced. */
const setFooterOffset = (hex: string) => (blob: Uint8Array) => {
  const out = blob.slice();
  out.set(new TextEncoder().encode(hex), out.length - 51 + 16);
  return out;
};

describe('an estargz TOC that cannot be used', () => {
  const cases: [string, Partial<LayerSpec>, RegExp][] = [
    ['a footer without "STARGZ"', { estargzEditBlob: (b) => { const o = b.slice(); o[o.length - 51 + 37] = 0x58; return o; } }, /^estargz TOC: the last 51 bytes of the layer \(from byte \d+\): the footer says "[0-9a-f]{16}STARGX", not 16 hex digits and "STARGZ"/],
    ['a footer pointing past the end', { estargzEditBlob: setFooterOffset('00000000ffffffff') }, /^estargz TOC: the footer puts the TOC at byte 00000000ffffffff \(hex\), past the end of the layer's \d+ bytes before the footer/],
    ['a footer pointing at a file, not the TOC', { estargzEditBlob: setFooterOffset('0000000000000000') }, /^estargz TOC: the member at byte 0 the footer points to holds "etc", not stargz.index.json/],
    ['no footer (cut off, an empty gzip member in its place)', { estargzEditBlob: (b) => concatBytes([b.subarray(0, b.length - 51), gzip(new Uint8Array(0))]) }, /^estargz TOC: the last 51 bytes of the layer \(from byte \d+\) are not a gzip member with an extra field: no estargz footer/],
    ['a TOC that is not JSON', { estargzEditToc: () => '{"version":1,"entries":[{"name":' }, /^estargz TOC: stargz.index.json \(in the member at byte \d+\) is not JSON/],
    ['offsets out of order', { estargzEditToc: (toc) => JSON.stringify({ ...toc, entries: toc.entries.map((e) => e.name === 'zz/last.txt' ? { ...e, offset: 100 } : e) }) }, /^estargz TOC: entry \d+ \("zz\/last.txt"\) starts at byte 100, before the entry ahead of it \(byte \d+\): offsets out of order/],
    ['an offset past the TOC', { estargzEditToc: (toc) => JSON.stringify({ ...toc, entries: toc.entries.map((e) => e.name === 'opt/middle.txt' ? { ...e, offset: 1e12 } : e) }) }, /^estargz TOC: entry \d+ \("opt\/middle.txt"\) starts at byte 1000000000000, at or past the TOC at byte \d+/],
    ['a negative size', { estargzEditToc: (toc) => JSON.stringify({ ...toc, entries: toc.entries.map((e) => e.name === 'opt/middle.txt' ? { ...e, size: -5 } : e) }) }, /^estargz TOC: entry \d+ \("opt\/middle.txt"\): size, offset, chunkOffset, chunkSize and innerOffset must be byte counts/],
  ];
  it.each(cases)('%s: a clear note, and the file read from the nearest member boundary instead', async (_name, edit, message) => {
    const { read } = await open(spec(edit));
    for (const [path, text] of [['etc/os-release', OS_RELEASE], ['opt/middle.txt', MIDDLE], ['zz/last.txt', LAST]] as const) {
      const c = await read(path);
      expect(decode(c.bytes)).toBe(text);
      expect(['gzip-member', 'gzip-checkpoint', 'rescan']).toContain(c.how);
      expect(c.note).toMatch(message);
      expect(c.note).toMatch(/; read from the nearest restart point instead \(a gzip member boundary or a deflate checkpoint\)$/);
    }
  });

  it('a file whose TOC chunks do not tile it is read the fallback way, the rest through the TOC', async () => {
    const { read } = await open(spec({
      estargzEditToc: (toc) => JSON.stringify({ ...toc, entries: toc.entries.filter((e) => !(e.name === 'opt/a.bin' && e.chunkOffset === MiB)) }),
    }));
    const w = await read('opt/a.bin');
    expect(Buffer.from(w.bytes).equals(Buffer.from(A))).toBe(true);
    expect(['gzip-member', 'rescan']).toContain(w.how);
    expect(w.check).toBe('whole-file');
    expect(w.note).toBe('estargz TOC: /opt/a.bin its chunks do not follow one another (a chunk at 2097152 of 1048576 bytes after byte 1048576); read from the nearest restart point instead (a gzip member boundary or a deflate checkpoint)');
    expect((await read('zz/last.txt')).how).toBe('estargz-toc');
  });
});

describe.skipIf(!haveDive)(`an estargz layer a real tool wrote (dive's test-oci-estargz-image.tar)${SKIP_DIVE}`, () => {
  it('reads README.md through its TOC, with the sha256 the TOC gives', async () => {
    const archive = await readArchive(await diveFixture('test-oci-estargz-image.tar'), { name: 'test-oci-estargz-image.tar' });
    const image = archive.images[0]!;
    const merged = analyseImage(image, archive.results).merged;
    const c = await readFileContent(merged, FINAL, 'README.md', 0, 100, { layerBytes: layerBytesOf(archive, image) });
    expect(c.how).toBe('estargz-toc');
    expect(c.check).toBe('whole-file');
    expect(c.size).toBe(11189);
    expect(c.sha256).toBe('sha256:f8b8addc28295c264c4d32a90e4a1dc34160f2c150f8f9c5f4f7906ea8bf27dc');
    expect(decode(c.bytes)).toMatch(/^# dive\n/);
  });
});
