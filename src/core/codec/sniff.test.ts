import { describe, expect, it } from 'vitest';
import { sniffCompression } from './sniff';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

describe('sniffCompression', () => {
  it('recognises a gzip member header', () => {
    expect(sniffCompression(bytes(0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3))).toBe('gzip');
  });
  it('does not call 1f 8b with another method gzip', () => {
    expect(sniffCompression(bytes(0x1f, 0x8b, 0x07, 0x00))).toBe('none');
  });
  it('recognises a zstd frame', () => {
    expect(sniffCompression(bytes(0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00))).toBe('zstd');
  });
  it.each([0x50, 0x53, 0x5f])('recognises a leading skippable frame 0x184D2A%s', (low) => {
    expect(sniffCompression(bytes(low, 0x2a, 0x4d, 0x18, 4, 0, 0, 0))).toBe('zstd');
  });
  it('rejects magic just outside the skippable range', () => {
    expect(sniffCompression(bytes(0x60, 0x2a, 0x4d, 0x18))).toBe('none');
  });
  it('treats a tar header and short input as uncompressed', () => {
    const tar = new Uint8Array(512);
    tar.set(new TextEncoder().encode('etc/passwd'), 0);
    tar.set(new TextEncoder().encode('ustar\u000000'), 257);
    expect(sniffCompression(tar)).toBe('none');
    expect(sniffCompression(bytes(0x28, 0xb5, 0x2f))).toBe('none');
    expect(sniffCompression(bytes())).toBe('none');
  });
});
