import { createHash } from 'node:crypto';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ESTARGZ_FOOTER_SIZE, ESTARGZ_TOC_NAME } from './estargz';
import { listNames, readMember } from './gnu-tar';
import { buildLayer, type LayerSpec } from './layer';
import { noise } from './tar-writer';

const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const SPEC: LayerSpec = {
  createdBy: 'RUN make install',
  files: [
    { path: 'usr/local/bin/tool', content: noise(5000, 1), mode: 0o755 },
    { path: 'usr/local/share/a-b.txt', content: 'sorted after the a/ directory in a walk' },
    { path: 'usr/local/share/a/readme', content: 'hello' },
    { path: 'usr/local/share/a/.wh.old', content: '' },
  ],
};

describe('buildLayer', () => {
  it('adds parent directories and sorts like a directory walk, whiteouts first among siblings', async () => {
    const { tar } = await buildLayer({ ...SPEC, compression: 'none' });
    expect(listNames(tar)).toEqual([
      'usr/', 'usr/local/', 'usr/local/bin/', 'usr/local/bin/tool', 'usr/local/share/',
      'usr/local/share/a/', 'usr/local/share/a/.wh.old', 'usr/local/share/a/readme', 'usr/local/share/a-b.txt',
    ]);
  });

  it('keeps the exact order when raw', async () => {
    const { tar } = await buildLayer({ ...SPEC, compression: 'none', raw: true });
    expect(listNames(tar)).toEqual(SPEC.files.map((f) => f.path));
  });

  it.each([
    ['none', 'application/vnd.oci.image.layer.v1.tar', undefined],
    ['gzip', 'application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
    ['zstd', 'application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
  ] as const)('%s: digest is the blob sha256, diff_id the tar sha256, GNU tar reads the blob', async (c, mediaType, filter) => {
    const l = await buildLayer({ ...SPEC, compression: c });
    expect(l.mediaType).toBe(mediaType);
    expect(l.digest).toBe(`sha256:${hex(l.blob)}`);
    expect(l.diffId).toBe(`sha256:${hex(l.tar)}`);
    expect(listNames(l.blob, filter)).toContain('usr/local/bin/tool');
    expect(readMember(l.blob, 'usr/local/bin/tool', filter)).toEqual(noise(5000, 1));
  });

  it('uses Docker media types for the docker flavor', async () => {
    expect((await buildLayer({ ...SPEC, compression: 'gzip' }, 'docker')).mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
    expect((await buildLayer({ ...SPEC, compression: 'none' }, 'docker')).mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar');
  });

  it('writes gzip without a timestamp, so the same layer always has the same digest', async () => {
    const a = await buildLayer({ ...SPEC, compression: 'gzip' });
    const b = await buildLayer({ ...SPEC, compression: 'gzip' });
    expect(a.digest).toBe(b.digest);
    expect([...a.blob.subarray(4, 8)]).toEqual([0, 0, 0, 0]); // MTIME, RFC 1952
  });
});

describe('estargz layers', () => {
  it('is multi-member gzip whose stream ends with the TOC entry and a footer pointing at it', async () => {
    const l = await buildLayer({ ...SPEC, compression: 'estargz' });
    expect(l.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(Buffer.from(gunzipSync(l.blob)).equals(Buffer.from(l.tar))).toBe(true);
    const names = listNames(l.blob, 'gzip');
    expect(names.at(-1)).toBe(ESTARGZ_TOC_NAME);
    const starts = gzipMemberStarts(l.blob);

    const footer = l.blob.subarray(l.blob.byteLength - ESTARGZ_FOOTER_SIZE);
    const text = Buffer.from(footer).toString('latin1');
    const m = /([0-9a-f]{16})STARGZ/.exec(text);
    expect(m).not.toBeNull();
    const tocAt = parseInt(m![1]!, 16);
    const toc = JSON.parse(Buffer.from(readMember(gunzipSync(l.blob.subarray(tocAt)), ESTARGZ_TOC_NAME)).toString());
    expect(toc.entries.map((e: { name: string }) => e.name)).toContain('usr/local/bin/tool');
    // Each file's data starts a member of its own (its offset in the TOC), which decodes to it.
    const files = toc.entries.filter((e: { type: string; size?: number }) => e.type === 'reg' && (e.size ?? 0) > 0);
    expect(files.length).toBeGreaterThan(0);
    for (const e of files as { name: string; offset: number; size: number }[]) {
      expect(starts).toContain(e.offset);
      const content = readMember(l.tar, e.name);
      expect(Buffer.from(gunzipSync(l.blob.subarray(e.offset, starts[starts.indexOf(e.offset) + 1]))).subarray(0, e.size).equals(Buffer.from(content))).toBe(true);
    }
    expect(starts.at(-2)).toBe(tocAt); // the TOC member, then the footer
    expect(starts.at(-1)).toBe(l.blob.byteLength - ESTARGZ_FOOTER_SIZE);
    expect(l.annotations?.['containerd.io/snapshot/stargz/toc.digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

/** Where each gzip member starts, by walking them: header (RFC 1952 2.3), deflate data, 8-byte trailer. */
function gzipMemberStarts(blob: Uint8Array): number[] {
  const starts: number[] = [];
  let at = 0;
  const buf = Buffer.from(blob);
  while (at < buf.length) {
    expect([buf[at], buf[at + 1]]).toEqual([0x1f, 0x8b]);
    starts.push(at);
    const flags = buf[at + 3]!;
    let p = at + 10;
    if (flags & 4) p += 2 + buf.readUInt16LE(p); // FEXTRA
    if (flags & 8) p = buf.indexOf(0, p) + 1; // FNAME
    if (flags & 16) p = buf.indexOf(0, p) + 1; // FCOMMENT
    if (flags & 2) p += 2; // FHCRC
    const { engine } = inflateRawSync(buf.subarray(p), { info: true }) as unknown as { engine: { bytesWritten: number } };
    at = p + engine.bytesWritten + 8;
  }
  return starts;
}
