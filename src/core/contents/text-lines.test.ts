import { describe, expect, it } from 'vitest';
import { clipLine, decodeText, hexRow, LINE_CHARS, splitLines } from './text-lines';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('decodeText', () => {
  it('decodes UTF-8 without a note, and leaves out a character cut at the end of a window', () => {
    const e9 = new TextEncoder().encode('café'); // é is c3 a9
    expect(decodeText(e9, 'utf-8', true)).toEqual({ text: 'café' });
    expect(decodeText(e9.subarray(0, 4), 'utf-8', false)).toEqual({ text: 'caf' });
  });

  it('names other encodings beside the text', () => {
    expect(decodeText(bytes(0xff, 0xfe, 0x68, 0, 0x69, 0), 'utf-16le', true)).toEqual({ text: 'hi', note: 'UTF-16 (little-endian), shown decoded' });
    expect(decodeText(bytes(0x63, 0x61, 0x66, 0xe9), 'other-8bit', true)).toEqual({ text: 'café', note: 'Not UTF-8: shown as Windows-1252 (Latin-1)' });
    expect(decodeText(bytes(0x61, 0xff, 0x62), 'utf-8', true)).toEqual({ text: 'a\uFFFDb', note: 'Not all of it is valid UTF-8: invalid bytes show as �' });
  });
});

describe('splitLines', () => {
  it('splits on LF and CRLF, and a final newline ends the last line', () => {
    expect(splitLines('a\r\nb\nc\n')).toEqual(['a', 'b', 'c']);
    expect(splitLines('a\n\nb')).toEqual(['a', '', 'b']);
    expect(splitLines('')).toEqual([]);
  });
});

describe('clipLine', () => {
  it('cuts a line longer than LINE_CHARS and says how much is left', () => {
    expect(LINE_CHARS).toBe(2000);
    expect(clipLine('x'.repeat(2500))).toEqual({ shown: 'x'.repeat(2000), more: 500 });
    expect(clipLine('short')).toEqual({ shown: 'short', more: 0 });
  });
});

describe('hexRow', () => {
  it('shows offset, hex in two groups of eight, and printable ASCII', () => {
    const elf = bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x41);
    expect(hexRow(elf, 0, 0)).toEqual({ offset: '00000000', hex: '7f 45 4c 46 02 01 01 00  00 00 00 00 00 00 00 00', ascii: '.ELF............' });
    expect(hexRow(elf, 16, 4096)).toEqual({ offset: '00001010', hex: '41', ascii: 'A' });
  });
});
