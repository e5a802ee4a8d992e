// What went wrong talking to a registry, in words that say what a user can do. Messages name hosts,
// repositories and digests only (all checked against the reference grammar): never a credential, a
// token, a URL's query (presigned URLs carry signatures) or text a registry sent us.

export type RegistryErrorCode =
  | 'not-found'
  | 'unauthorized'
  | 'denied'
  | 'rate-limited'
  | 'unreachable'
  | 'digest-mismatch'
  | 'too-large'
  | 'bad-response';

/** Docker Hub's pull quota (`ratelimit-limit: 100;w=21600`, `ratelimit-remaining: 76;w=21600`). */
export interface RateLimit {
  limit?: number;
  remaining?: number;
  /** The window the figures count over, in seconds. */
  windowSeconds?: number;
}

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  /** Seconds to wait, from `Retry-After` on a 429 or 503. */
  readonly retryAfter?: number;
  readonly rateLimit?: RateLimit;
  /** The HTTP status that caused it, when one did. */
  readonly status?: number;

  constructor(code: RegistryErrorCode, message: string, extra: { retryAfter?: number; rateLimit?: RateLimit; status?: number } = {}) {
    super(message);
    this.name = 'RegistryError';
    this.code = code;
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter;
    if (extra.rateLimit !== undefined) this.rateLimit = extra.rateLimit;
    if (extra.status !== undefined) this.status = extra.status;
  }
}

export function isRegistryError(e: unknown): e is RegistryError {
  return e instanceof RegistryError;
}

/** `ratelimit-limit` / `ratelimit-remaining` (Docker Hub; the IETF RateLimit draft's `q;w=s`). */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  const limit = parseQuota(headers.get('ratelimit-limit'));
  const remaining = parseQuota(headers.get('ratelimit-remaining'));
  if (!limit && !remaining) return undefined;
  const windowSeconds = remaining?.window ?? limit?.window;
  return {
    ...(limit ? { limit: limit.quota } : {}),
    ...(remaining ? { remaining: remaining.quota } : {}),
    ...(windowSeconds !== undefined ? { windowSeconds } : {}),
  };
}

function parseQuota(value: string | null): { quota: number; window?: number } | undefined {
  const m = value ? /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/.exec(value) : null;
  if (!m) return undefined;
  return { quota: Number(m[1]), ...(m[2] ? { window: Number(m[2]) } : {}) };
}

/** `Retry-After`: delta seconds or an HTTP date (RFC 9110 10.2.3). */
export function readRetryAfter(headers: Headers, now: number): number | undefined {
  const v = headers.get('retry-after')?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.round((t - now) / 1000));
}

export function describeRateLimit(r: RateLimit): string {
  const hours = r.windowSeconds !== undefined ? ` per ${formatWindow(r.windowSeconds)}` : '';
  if (r.remaining !== undefined && r.limit !== undefined) return `${r.remaining} of ${r.limit} pulls left${hours}`;
  if (r.remaining !== undefined) return `${r.remaining} pulls left${hours}`;
  return `limit ${r.limit} pulls${hours}`;
}

function formatWindow(s: number): string {
  return s % 3600 === 0 ? `${s / 3600} h` : s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

/** Text from the network (an error cause) made safe for a terminal or a page: no control characters. */
export function printable(text: string, max = 200): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || (c >= 0x7f && c < 0xa0) ? ' ' : ch;
    if (out.length >= max) return `${out}...`;
  }
  return out;
}
