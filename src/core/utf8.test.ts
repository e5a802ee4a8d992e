import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8, encodeUtf8Into, utf8Length } from './utf8';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('decodeUtf8', () => {
  it('reads ASCII, multi-byte characters and a range of a larger buffer', () => {
    expect(decodeUtf8(bytes(0x75, 0x73, 0x72, 0x2f, 0x62, 0x69, 0x6e))).toBe('usr/bin');
    expect(decodeUtf8(bytes(0x63, 0x61, 0x66, 0xc3, 0xa9))).toBe('café');
    expect(decodeUtf8(bytes(0xf0, 0x9f, 0x90, 0xb3, 0x2e, 0x70, 0x79))).toBe('🐳.py');
    expect(decodeUtf8(bytes(0x00, 0x61, 0x62, 0x63, 0x00), 1, 4)).toBe('abc');
    expect(decodeUtf8(bytes(0x61), 1, 1)).toBe('');
  });

  it('replaces what is not UTF-8 with U+FFFD, as a runtime shows such a name', () => {
    expect(decodeUtf8(bytes(0x61, 0xff, 0x62))).toBe('a\ufffdb');
    expect(decodeUtf8(bytes(0x61, 0xe9, 0x74, 0xe9))).toBe('a\ufffdt\ufffd'); // latin1 'été'
    expect(decodeUtf8(bytes(0x61, 0xe2, 0x82))).toBe('a\ufffd'); // a character cut short
  });

  it('reads names longer than the short-string path', () => {
    const long = new Uint8Array(300).fill(0x78);
    expect(decodeUtf8(long)).toBe('x'.repeat(300));
    long[299] = 0xc3;
    expect(decodeUtf8(long)).toBe(`${'x'.repeat(299)}\ufffd`);
  });
});

describe('encodeUtf8Into', () => {
  it('writes ASCII and non-ASCII text at an offset and returns the bytes written', () => {
    const out = new Uint8Array(16).fill(0xaa);
    expect(encodeUtf8Into('ab', out, 3)).toBe(2);
    expect([...out.subarray(2, 6)]).toEqual([0xaa, 0x61, 0x62, 0xaa]);
    expect(encodeUtf8Into('é€', out, 0)).toBe(5);
    expect([...out.subarray(0, 5)]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac]);
  });

  it('writes a lone surrogate as U+FFFD, as TextEncoder does', () => {
    expect([...encodeUtf8('a\ud800')]).toEqual([0x61, 0xef, 0xbf, 0xbd]);
  });
});

describe('utf8Length', () => {
  it('counts the bytes UTF-8 takes', () => {
    expect(utf8Length('')).toBe(0);
    expect(utf8Length('usr/lib')).toBe(7);
    expect(utf8Length('café')).toBe(5);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('🐳')).toBe(4);
    expect(utf8Length('\ud800x')).toBe(4); // lone high surrogate: U+FFFD (3) + 'x'
    expect(utf8Length('\udc00')).toBe(3); // lone low surrogate
  });
});
