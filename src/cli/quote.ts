// Names from an archive (tags, paths, commands, labels) are printed to a terminal: control
// characters, C1 codes and bidirectional overrides are shown escaped, so no escape sequence from a
// hostile image reaches the terminal. (A shared `quoteForTerminal` in core/format.ts is on its way
// from another branch; this one moves there when it lands.)

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/gu;

export function quoteForTerminal(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
