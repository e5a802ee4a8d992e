// Names from an image or a config file reach the terminal only through these: a tar entry can be
// called `\x1b]0;owned\x07` or carry bidi controls that reorder what the reader sees. Safe text is
// printed as it is (what dive prints); anything else is shown Go-quoted, so it stays readable and
// inert. Deliberately not core/format.ts's quoteForTerminal (GNU ls style, `\033`): `strata ci`
// mirrors `dive --ci` output, and dive prints names with Go's %q (`\x1b`), so the gate keeps it.

import { goQuote } from './go-format';

// C0 and C1 controls, DEL, and the format characters that reorder or hide text.
 
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udfff]/u;

export function isTerminalSafe(s: string): boolean {
  return !UNSAFE.test(s);
}

/** The name as it is when safe, else Go-quoted (`"a\x1b[31mb"`). */
export function quoteForTerminal(s: string): string {
  return isTerminalSafe(s) ? s : goQuote(s);
}

/** A message that embeds user text: unsafe characters escaped in place, the rest untouched. */
export function escapeForTerminal(s: string): string {
  if (isTerminalSafe(s)) return s;
  let out = '';
  for (const ch of s) out += isTerminalSafe(ch) ? ch : goQuote(ch).slice(1, -1);
  return out;
}
