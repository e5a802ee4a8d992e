// Docker's token authentication (distribution `docs/spec/auth/token.md`): GET the challenge's realm
// with `service` and `scope`, anonymously or with the user's credentials as Basic, and read
// `token` (or the OAuth2 name `access_token`) and `expires_in` (seconds; 60 when absent).

import { RegistryError, readRateLimit, readRetryAfter, describeRateLimit } from './errors';
import { readCapped, walk, type HopCheck, type RegistryFetch } from './http';

export interface Credentials {
  username: string;
  /** A password or a token: both go as Basic (`docker login` does the same). */
  password: string;
}

export interface Token {
  header: string;
  /** ms since the epoch after which we ask again. */
  expiresAt: number;
  /** When we got it (ms since the epoch). */
  obtainedAt: number;
}

/** Token answers are small; a realm sending megabytes is not a token service. */
const MAX_TOKEN_BYTES = 1024 * 1024;
/** The spec's default lifetime when `expires_in` is absent. */
const DEFAULT_EXPIRES_S = 60;

export interface TokenRequest {
  realm: string;
  service?: string;
  scope: string;
  credentials?: Credentials;
  /** The registry URL whose challenge named this realm (for the hop check). */
  registry: URL;
  allowHttp: boolean;
  fetch: RegistryFetch;
  checkHop?: HopCheck;
  now: number;
  signal?: AbortSignal;
}

export async function fetchToken(t: TokenRequest): Promise<Token> {
  let url: URL;
  try {
    url = new URL(t.realm);
  } catch {
    throw new RegistryError('bad-response', `${t.registry.host} names a token realm that is not a URL`);
  }
  if (t.service !== undefined) url.searchParams.set('service', t.service);
  // A challenge may name several scopes separated by spaces: each is its own `scope` parameter.
  for (const s of t.scope.split(' ').filter(Boolean)) url.searchParams.append('scope', s);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (t.credentials) headers.authorization = basicAuth(t.credentials);
  const what = `a token from ${url.host} for ${t.registry.host}`;
  const { res } = await walk(url, 'realm', { method: 'GET', headers, ...(t.signal ? { signal: t.signal } : {}) }, {
    fetch: t.fetch, allowHttp: t.allowHttp, what, ...(t.checkHop ? { checkHop: t.checkHop } : {}),
  }, t.registry);
  if (!res.ok) throw await tokenFailure(res, t, url.host);
  const body = await readCapped(res, MAX_TOKEN_BYTES, `the answer of the token service ${url.host}`, t.signal);
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new RegistryError('bad-response', `the token service ${url.host} answered with something that is not JSON`);
  }
  const o = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  const token = typeof o.token === 'string' && o.token ? o.token : typeof o.access_token === 'string' ? o.access_token : '';
  if (!token || !/^[\x21-\x7e]+$/.test(token)) {
    throw new RegistryError('bad-response', `the token service ${url.host} answered without a usable token`);
  }
  const expiresIn = typeof o.expires_in === 'number' && o.expires_in > 0 ? o.expires_in : DEFAULT_EXPIRES_S;
  // Ask again a little before the service's clock says so: a request in flight must not carry a
  // token that expires on the way.
  const margin = Math.min(10, expiresIn / 10);
  return { header: `Bearer ${token}`, expiresAt: t.now + (expiresIn - margin) * 1000, obtainedAt: t.now };
}

async function tokenFailure(res: Response, t: TokenRequest, host: string): Promise<RegistryError> {
  await res.body?.cancel().catch(() => undefined);
  const status = { status: res.status };
  if (res.status === 401) {
    return t.credentials
      ? new RegistryError('unauthorized', `the token service ${host} refused the credentials for ${t.registry.host}: check the username and the password or token`, status)
      : new RegistryError('unauthorized', `the token service ${host} wants credentials for ${t.registry.host}: give a username and a password or token`, status);
  }
  if (res.status === 403) return new RegistryError('denied', `the token service ${host} denied access to ${t.scope}: these credentials may not pull it`, status);
  if (res.status === 429) {
    const rateLimit = readRateLimit(res.headers);
    const retryAfter = readRetryAfter(res.headers, t.now);
    return new RegistryError('rate-limited', `the token service ${host} is rate limiting us${rateLimit ? ` (${describeRateLimit(rateLimit)})` : ''}: try again${retryAfter !== undefined ? ` in ${retryAfter} s` : ' later'}`, {
      ...status, ...(rateLimit ? { rateLimit } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}),
    });
  }
  return new RegistryError(res.status >= 500 ? 'unreachable' : 'bad-response', `the token service ${host} answered HTTP ${res.status}${res.status >= 500 ? ': try again later' : ''}`, status);
}

/** RFC 7617 Basic, UTF-8 as browsers send it. */
export function basicAuth(c: Credentials): string {
  const bytes = new TextEncoder().encode(`${c.username}:${c.password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}
