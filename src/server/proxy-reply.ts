// How the registry proxy answers: safe headers on everything it serves from another server's bytes,
// and errors as JSON the page turns into a RegistryError. An error names hosts, repositories and
// digests (all grammar-checked) and never a credential, a token or a presigned URL's query.
import type { ServerResponse } from 'node:http';
import { RegistryError, type RateLimit } from '../core/registry';
import { HopRefused } from './hop-policy';
import { ProxyRequestError } from './proxy-request';
import { Busy } from './proxy-sessions';
import { TransportError } from './safe-fetch';

/** The header that tells the page an answer is the proxy's own error, with `{ error }` JSON. */
export const ERROR_HEADER = 'x-strata-proxy-error';
/** The message again, URI-encoded: an answer to HEAD has no body to carry it. */
export const ERROR_MESSAGE_HEADER = 'x-strata-proxy-error-message';

/**
 * Bytes from a registry are served from our origin: they must never be run as a page. The type is
 * the registry's manifest type only when it is one (a JSON media type), octet-stream otherwise.
 */
export function securityHeaders(contentType: string): Record<string, string> {
  const safe = /^application\/[\w.+-]+\+json$|^application\/(?:json|octet-stream)$/.test(contentType) ? contentType : 'application/octet-stream';
  return {
    'content-type': safe,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/** Docker Hub's quota headers as the upstream sent them, for the page's client to read. */
export function rateLimitHeaders(r: RateLimit | undefined): Record<string, string> {
  if (!r) return {};
  const w = r.windowSeconds !== undefined ? `;w=${r.windowSeconds}` : '';
  return {
    ...(r.limit !== undefined ? { 'ratelimit-limit': `${r.limit}${w}` } : {}),
    ...(r.remaining !== undefined ? { 'ratelimit-remaining': `${r.remaining}${w}` } : {}),
  };
}

export interface ProxyErrorBody {
  error: { code: string; message: string; retryAfter?: number; rateLimit?: RateLimit };
}

const STATUS: Record<string, number> = {
  'not-found': 404,
  unauthorized: 401,
  denied: 403,
  'rate-limited': 429,
  unreachable: 502,
  'digest-mismatch': 502,
  'too-large': 502,
  'bad-response': 502,
};

function describe(err: unknown): { status: number; body: ProxyErrorBody } {
  if (err instanceof ProxyRequestError) return { status: err.status, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof HopRefused) return { status: 403, body: { error: { code: 'blocked', message: `the proxy refused: ${err.message}` } } };
  if (err instanceof Busy) return { status: 429, body: { error: { code: 'busy', message: err.message, retryAfter: 1 } } };
  if (err instanceof TransportError && err.timeout) return { status: 504, body: { error: { code: 'unreachable', message: err.message } } };
  if (err instanceof RegistryError) {
    return {
      status: STATUS[err.code] ?? 502,
      body: { error: { code: err.code, message: err.message, ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}), ...(err.rateLimit ? { rateLimit: err.rateLimit } : {}) } },
    };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'the registry proxy failed; see the server log' } } };
}

export function replyError(res: ServerResponse, err: unknown): void {
  const { status, body } = describe(err);
  if (status === 500) console.error(`registry proxy: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retry = body.error.retryAfter !== undefined ? { 'retry-after': String(body.error.retryAfter) } : {};
  res.writeHead(status, {
    ...securityHeaders('application/json'),
    ...retry,
    ...rateLimitHeaders(body.error.rateLimit),
    [ERROR_HEADER]: body.error.code,
    [ERROR_MESSAGE_HEADER]: encodeURIComponent(body.error.message.slice(0, 1000)),
  }).end(JSON.stringify(body));
}
