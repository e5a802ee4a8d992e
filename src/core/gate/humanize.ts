// Byte sizes as dive reads and prints them: go-humanize v1.0.1's ParseBytes (what `.dive-ci`'s
// highestWastedBytes goes through) and Bytes (the "Wasted Space" column and the wastedBytes line).

import { goFixed, goParseFloat } from './go-format';

const KI = 1024;
const K = 1000;

// go-humanize's table: SI (powers of 1000) and IEC (powers of 1024), the trailing B optional,
// case-insensitive. "b" alone is a byte, not a bit.
const UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: K, kb: K, ki: KI, kib: KI,
  m: K ** 2, mb: K ** 2, mi: KI ** 2, mib: KI ** 2,
  g: K ** 3, gb: K ** 3, gi: KI ** 3, gib: KI ** 3,
  t: K ** 4, tb: K ** 4, ti: KI ** 4, tib: KI ** 4,
  p: K ** 5, pb: K ** 5, pi: KI ** 5, pib: KI ** 5,
  e: K ** 6, eb: K ** 6, ei: KI ** 6, eib: KI ** 6,
};

const MAX_UINT64 = 2 ** 64;

export type ParsedBytes = { ok: true; bytes: number } | { ok: false; error: string };

/**
 * go-humanize's ParseBytes: a number (digits, `.` and `,` thousands separators), optional spaces,
 * a unit. `20MB` is 20,000,000 and `20MiB` 20,971,520; `1.5` is 1 (the product is truncated to an
 * integer); a sign, a leading space or an exponent is an error. Values are JavaScript numbers:
 * exact up to 2^53 bytes (8 PiB), and compared as the doubles Go computes them from.
 */
export function parseBytes(s: string): ParsedBytes {
  let end = 0;
  let comma = false;
  while (end < s.length && /[0-9.,]/.test(s[end]!)) {
    if (s[end] === ',') comma = true;
    end++;
  }
  const num = comma ? s.slice(0, end).replace(/,/g, '') : s.slice(0, end);
  const f = goParseFloat(num);
  if (!f.ok) return f;
  const unit = s.slice(end).trim().toLowerCase();
  const m = Object.hasOwn(UNITS, unit) ? UNITS[unit] : undefined;
  if (m === undefined) return { ok: false, error: `unhandled size name: ${unit}` };
  const bytes = f.value * m;
  if (bytes >= MAX_UINT64) return { ok: false, error: `too large: ${s}` };
  return { ok: true, bytes: Math.trunc(bytes) };
}

const SI = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** go-humanize v1.0.1's Bytes: `32 kB`, `6.4 kB`, `1.0 MB`, `999 B` (one decimal below 10). */
export function humanizeBytes(s: number): string {
  if (s < 10) return `${s} B`;
  const e = Math.floor(Math.log(s) / Math.log(1000));
  const val = Math.floor((s / 1000 ** e) * 10 + 0.5) / 10;
  return `${goFixed(val, val < 10 ? 1 : 0)} ${SI[e]}`;
}
