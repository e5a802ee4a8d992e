// Names from an image reach a terminal only quoted, as GNU `tar --quoting-style=escape` and `ls`
// print them (the expected strings are what GNU tar 1.34 prints for the same names in the C
// locale, except that printable non-ASCII text stays as it is, as in a UTF-8 locale).
import { describe, expect, it } from 'vitest';
import { quoteForTerminal } from './format';

describe('quoteForTerminal', () => {
  it('leaves printable names alone, spaces and non-ASCII letters included', () => {
    for (const s of ['usr/bin/env', 'a b', 'café/naïve', '日本語.txt', '\u{1f31f}.txt', '']) expect(quoteForTerminal(s)).toBe(s);
  });

  it('escapes what GNU tar escapes: C escapes, a backslash, other controls as \\ooo', () => {
    expect(quoteForTerminal('n\nl')).toBe('n\\nl');
    expect(quoteForTerminal('t\tt')).toBe('t\\tt');
    expect(quoteForTerminal('x\\y')).toBe('x\\\\y');
    expect(quoteForTerminal('e\x1b[31mred')).toBe('e\\033[31mred');
    expect(quoteForTerminal('\x07\x08\x0b\x0c\r\x00\x01\x7f')).toBe('\\a\\b\\v\\f\\r\\000\\001\\177');
  });

  it('escapes C1 controls, bidi overrides and zero-width characters by their UTF-8 bytes', () => {
    expect(quoteForTerminal('\u009b2J')).toBe('\\302\\2332J'); // CSI: clears a screen on some terminals
    expect(quoteForTerminal('invoice\u202egpj.exe')).toBe('invoice\\342\\200\\256gpj.exe');
    expect(quoteForTerminal('a\u200bb')).toBe('a\\342\\200\\213b');
  });
});
