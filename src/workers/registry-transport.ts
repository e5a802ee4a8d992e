// The page's registry transport: every request the registry client makes goes to our own server's
// proxy (`/registry/<host>/v2/...`, src/server/registry-proxy.ts), which speaks to the registry,
// authenticates and follows redirects. No auth logic here: the proxy is an open registry to us, and
// its JSON errors come back as the RegistryError they name. Credentials the user typed go in a
// header only on requests for the host they were typed for.
import { RegistryError, type Credentials, type RegistryErrorCode, type RegistryFetch } from '../core/registry';

export const PROXY_PREFIX = '/registry/';
const ERROR_HEADER = 'x-strata-proxy-error';
/** The message, URI-encoded, for answers to HEAD (no body). */
const ERROR_MESSAGE_HEADER = 'x-strata-proxy-error-message';

const CODES = new Set<RegistryErrorCode>(['not-found', 'unauthorized', 'denied', 'rate-limited', 'unreachable', 'digest-mismatch', 'too-large', 'bad-response']);

/** The proxy's own codes (refused hop, busy page, bad request) in the client's terms. */
function codeOf(proxyCode: string): RegistryErrorCode {
  if (CODES.has(proxyCode as RegistryErrorCode)) return proxyCode as RegistryErrorCode;
  if (proxyCode === 'blocked') return 'unreachable';
  if (proxyCode === 'busy') return 'rate-limited';
  return 'bad-response';
}

export interface ProxyTransportOptions {
  /** The page session id the proxy keeps this page's tokens and limits under. */
  session: string;
  /** Credentials for an API host, when the user typed some for it. */
  credentials?: (apiHost: string) => Credentials | undefined;
  /** Where the app is served from (a worker's own location by default). */
  base?: string;
  fetch?: typeof fetch;
}

/** `Basic base64(utf8(user:password))`, as the proxy reads it. */
export function credentialHeader(c: Credentials): string {
  let bin = '';
  for (const b of new TextEncoder().encode(`${c.username}:${c.password}`)) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

/** The proxy URL for a registry URL (`https://registry.example.com/v2/x/manifests/1` -> `/registry/registry.example.com/v2/x/manifests/1`). */
export function proxyUrl(url: URL, base: string): string {
  if (!url.pathname.startsWith('/v2/')) {
    throw new RegistryError('bad-response', `${url.host}: only the registry API goes through the proxy, not ${url.pathname.slice(0, 40)}`);
  }
  return new URL(`${PROXY_PREFIX}${url.host}${url.pathname}${url.search}`, base).href;
}

/** Headers every proxied request carries (layer workers send these with their blob requests). */
export function proxyHeaders(session: string): Record<string, string> {
  return { 'X-Strata-Proxy': '1', 'X-Strata-Session': session };
}

/** Reads a proxy error answer into the RegistryError it names; undefined for an ordinary answer. */
export async function proxyError(res: Response): Promise<RegistryError | undefined> {
  const code = res.headers.get(ERROR_HEADER);
  if (!code) return undefined;
  let body: { error?: { code?: unknown; message?: unknown; retryAfter?: unknown; rateLimit?: unknown } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // the header alone says enough
  }
  const e = body.error ?? {};
  const message = typeof e.message === 'string' ? e.message : headerMessage(res) ?? `the registry proxy answered HTTP ${res.status} (${code})`;
  return new RegistryError(codeOf(code), message, {
    status: res.status,
    ...(typeof e.retryAfter === 'number' ? { retryAfter: e.retryAfter } : {}),
    ...(e.rateLimit && typeof e.rateLimit === 'object' ? { rateLimit: e.rateLimit as NonNullable<RegistryError['rateLimit']> } : {}),
  });
}

function headerMessage(res: Response): string | undefined {
  const raw = res.headers.get(ERROR_MESSAGE_HEADER);
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function createProxyTransport(o: ProxyTransportOptions): RegistryFetch {
  const base = o.base ?? globalThis.location?.href ?? 'http://localhost/';
  const doFetch = o.fetch ?? fetch.bind(globalThis);
  return async (input, init) => {
    const url = new URL(input);
    const headers: Record<string, string> = { ...proxyHeaders(o.session) };
    for (const [k, v] of Object.entries(init.headers)) {
      // The proxy authenticates; an Authorization from the client would be a bug, never sent on.
      if (k.toLowerCase() !== 'authorization') headers[k] = v;
    }
    const creds = o.credentials?.(url.host);
    if (creds) headers['X-Strata-Credentials'] = credentialHeader(creds);
    const target = proxyUrl(url, base);
    let res: Response;
    try {
      res = await doFetch(target, { method: init.method, headers, credentials: 'omit', redirect: 'error', ...(init.signal ? { signal: init.signal } : {}) });
    } catch (e) {
      if (init.signal?.aborted) throw e;
      throw new RegistryError('unreachable', `Strata's server did not answer for ${url.host}: is \`npm start\` still running?`);
    }
    const failure = await proxyError(res);
    if (failure) throw failure;
    return res;
  };
}
