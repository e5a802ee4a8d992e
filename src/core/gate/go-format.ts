// Go's number formatting and parsing, as dive's CI output depends on it. dive prints its figures
// with fmt's `%v` (strconv's shortest 'g' form of a float64) and `%2.4f`, and reads thresholds
// with strconv.ParseFloat (via viper, which turns YAML numbers into text with FormatFloat 'f' -1).
// Matching those exactly keeps scripts that grep dive's messages working.
// References: Go's strconv (ftoa.go formatDigits, atof.go readFloat/special/underscoreOK) and fmt.

/**
 * fmt's `%v` for a float64: the shortest digits that round-trip, in %e form when the decimal
 * exponent is below -4 or at least 6 (strconv fixes the precision at 6 for that decision when the
 * precision is "shortest"), with at least two exponent digits: 1e-05, 1.234567e+06, 0.0001.
 */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { digits, exp } = shortestDigits(Math.abs(x));
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return sign + fixedFromDigits(digits, exp);
}

/** strconv.FormatFloat(x, 'f', -1, 64): shortest digits, never an exponent (viper's cast of a YAML float). */
export function goFloatF(x: number): string {
  if (!Number.isFinite(x)) return goFloat(x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { digits, exp } = shortestDigits(Math.abs(x));
  return (x < 0 ? '-' : '') + fixedFromDigits(digits, exp);
}

/** The shortest round-trip digits of a positive finite number and its decimal exponent. */
function shortestDigits(x: number): { digits: string; exp: number } {
  // toExponential() without an argument gives as many digits as needed to tell x apart, and no
  // more: the same digits as strconv's shortest formatting.
  const [mant, e] = x.toExponential().split('e') as [string, string];
  return { digits: mant.replace('.', ''), exp: Number(e) };
}

function fixedFromDigits(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return digits + '0'.repeat(exp + 1 - digits.length);
  return `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * fmt's `%.Nf`: the exact binary value rounded to N decimals, ties to even (JavaScript's toFixed
 * rounds ties up: 1.03125.toFixed(4) is 1.0313 where Go prints 1.0312).
 */
export function goFixed(x: number, decimals: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const { int, scale } = exactDecimal(Math.abs(x));
  let q: bigint;
  if (scale <= decimals) q = int * 10n ** BigInt(decimals - scale);
  else {
    const div = 10n ** BigInt(scale - decimals);
    q = int / div;
    const twice = (int % div) * 2n;
    if (twice > div || (twice === div && q % 2n === 1n)) q += 1n;
  }
  let s = q.toString().padStart(decimals + 1, '0');
  if (decimals > 0) s = `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`;
  return (x < 0 || Object.is(x, -0) ? '-' : '') + s;
}

/** A finite non-negative double as int / 10^scale, exactly. */
function exactDecimal(x: number): { int: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else { mant |= 1n << 52n; e2 = biased - 1075; }
  if (e2 >= 0) return { int: mant << BigInt(e2), scale: 0 };
  // m / 2^k = m * 5^k / 10^k
  return { int: mant * 5n ** BigInt(-e2), scale: -e2 };
}

export type GoParse = { ok: true; value: number } | { ok: false; error: string };

/** strconv.ParseFloat(s, 64), with Go's error text (`strconv.ParseFloat: parsing "x": invalid syntax`). */
export function goParseFloat(s: string): GoParse {
  const fail = (why: string): GoParse => ({ ok: false, error: `strconv.ParseFloat: parsing ${goQuote(s)}: ${why}` });
  const special = parseSpecial(s);
  if (special !== undefined) return { ok: true, value: special };
  const value = parseNumber(s);
  if (value === undefined) return fail('invalid syntax');
  if (!Number.isFinite(value)) return fail('value out of range');
  return { ok: true, value };
}

/** Go's `special`: [+-]inf, [+-]infinity, nan (no sign), any case, and nothing after. */
function parseSpecial(s: string): number | undefined {
  const lower = s.toLowerCase();
  if (lower === 'nan') return NaN;
  const sign = lower[0] === '-' ? -1 : 1;
  const body = lower[0] === '+' || lower[0] === '-' ? lower.slice(1) : lower;
  return body === 'inf' || body === 'infinity' ? sign * Infinity : undefined;
}

const DECIMAL = /^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9][0-9_]*)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9][0-9_]*)$/;

function parseNumber(s: string): number | undefined {
  if (s.includes('_') && !underscoreOK(s)) return undefined;
  const clean = s.replace(/_/g, '');
  if (DECIMAL.test(s)) {
    if (!/[0-9]/.test(clean.replace(/[eE].*$/, ''))) return undefined;
    // JavaScript's Number() rounds a decimal string correctly, as strconv does.
    return Number(clean);
  }
  const hex = HEX.exec(clean);
  if (!hex) return undefined;
  const [, sign, int = '', frac = '', exp = '0'] = hex;
  if (int === '' && frac === '') return undefined;
  const mant = BigInt(`0x${int}${frac}` === '0x' ? '0' : `0x${int}${frac}`);
  const value = Number(mant) * 2 ** (Number(exp) - 4 * frac.length);
  return sign === '-' ? -value : value;
}

/** Go's rule: an underscore only between digits (a base prefix counts as a digit). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) { saw = '0'; continue; }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/**
 * strconv.Quote for the text a user can put in a config file: printable characters as they are,
 * `"` and `\` escaped, control and format characters (C0, DEL, C1, bidi controls, separators) as
 * \x.. or \u.... Its output never carries an escape sequence to a terminal.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (GO_ESC[ch]) out += GO_ESC[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (isUnprintable(c)) out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const GO_ESC: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

function isUnprintable(c: number): boolean {
  return (c >= 0x80 && c <= 0xa0) || c === 0xad || (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f)
    || (c >= 0x2060 && c <= 0x206f) || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff) || (c >= 0xfff9 && c <= 0xfffb)
    || (c >= 0xe0000 && c <= 0xe007f);
}
