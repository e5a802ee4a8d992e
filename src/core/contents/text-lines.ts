// A file's bytes as lines of text for the details pane and the diff: decoded as the engine's sniff
// says (UTF-8, UTF-16 or another 8-bit encoding), split into lines, and cut where rendering one
// line whole would stall the tab (a minified bundle is one line of megabytes). Pure: no DOM.
import type { TextEncoding } from './types';

/** Longest line drawn whole; the rest of a longer line is summed up as "… N more characters". */
export const LINE_CHARS = 2000;

export interface DecodedText {
  text: string;
  /** Shown beside the text when it is not plain UTF-8. */
  note?: string;
}

/**
 * `complete`: the bytes are the whole file (or its end); otherwise a character cut in two at the
 * end of the window is left out rather than shown as U+FFFD.
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding | undefined, complete: boolean): DecodedText {
  const stream = { stream: !complete };
  switch (encoding ?? 'utf-8') {
    case 'utf-16le': return { text: new TextDecoder('utf-16le').decode(bytes, stream), note: 'UTF-16 (little-endian), shown decoded' };
    case 'utf-16be': return { text: new TextDecoder('utf-16be').decode(bytes, stream), note: 'UTF-16 (big-endian), shown decoded' };
    case 'other-8bit': return { text: new TextDecoder('windows-1252').decode(bytes, stream), note: 'Not UTF-8: shown as Windows-1252 (Latin-1)' };
    default: {
      // The BOM is a marker, not text (TextDecoder drops it by default).
      const text = new TextDecoder('utf-8').decode(bytes, stream);
      return text.includes('\uFFFD') ? { text, note: 'Not all of it is valid UTF-8: invalid bytes show as �' } : { text };
    }
  }
}

/** Lines without their terminators ('\n', '\r\n'); a final newline does not start an empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** One line as drawn: at most LINE_CHARS characters, and how many were left out. */
export function clipLine(line: string): { shown: string; more: number } {
  return line.length <= LINE_CHARS ? { shown: line, more: 0 } : { shown: line.slice(0, LINE_CHARS), more: line.length - LINE_CHARS };
}

/** Rows of a hex dump: offset, 16 bytes in hex, and their printable ASCII (others as '.'). */
export function hexRow(bytes: Uint8Array, start: number, base: number): { offset: string; hex: string; ascii: string } {
  const row = bytes.subarray(start, start + 16);
  let hex = '';
  let ascii = '';
  for (let i = 0; i < 16; i++) {
    if (i === 8) hex += ' ';
    if (i < row.length) {
      const b = row[i]!;
      hex += `${b.toString(16).padStart(2, '0')} `;
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    } else hex += '   ';
  }
  return { offset: (base + start).toString(16).padStart(8, '0'), hex: hex.trimEnd(), ascii };
}
