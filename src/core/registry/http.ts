// The transport the registry client talks through, and the hop-by-hop walk every request takes:
// each hop checked before it is made (the proxy's SSRF policy plugs in there), redirects followed by
// hand, `Authorization` dropped whenever the origin changes (a presigned blob URL on another host
// must never see the registry's credentials), no HEAD sent to a redirect target (presigned URLs are
// signed for GET: S3 answers a HEAD with 403).

import { printable, RegistryError } from './errors';

export interface RegistryRequestInit {
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * One HTTP exchange, redirects not followed: a 3xx reaches the client as it is (the browser's
 * `redirect: 'manual'`, undici's `redirect: 'manual'`). The client never sends cookies.
 */
export type RegistryFetch = (url: string, init: RegistryRequestInit) => Promise<Response>;

export type HopKind = 'registry' | 'realm' | 'redirect';

/**
 * Called before every hop; throws (or rejects) to refuse it. `from` is null for the first hop of a
 * request to the registry. May be async: a policy that resolves the name first.
 */
export type HopCheck = (from: URL | null, to: URL, kind: HopKind) => void | Promise<void>;

export interface HopResult {
  res: Response;
  url: URL;
  /** The answer came from a redirect target rather than the URL first asked. */
  redirected: boolean;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface WalkOptions {
  fetch: RegistryFetch;
  checkHop?: HopCheck;
  /** Plain http allowed (the registry itself is a loopback or insecure one). */
  allowHttp: boolean;
  /** For messages: what we were fetching. */
  what: string;
}

/** `origin`: the URL whose answer named `first` (the registry, for a token realm). */
export async function walk(first: URL, kind: HopKind, init: RegistryRequestInit, o: WalkOptions, origin: URL | null = null): Promise<HopResult> {
  let url = first;
  let from: URL | null = origin;
  let redirected = false;
  let hopKind = kind;
  let method = init.method;
  const headers = { ...init.headers };
  for (let hop = 0; ; hop++) {
    checkUrl(url, o, hopKind);
    await o.checkHop?.(from, url, hopKind);
    const res = await send(o, url, { method, headers, ...(init.signal ? { signal: init.signal } : {}) });
    if (!REDIRECTS.has(res.status)) return { res, url, redirected };
    const location = res.headers.get('location');
    await discard(res);
    if (!location) throw new RegistryError('bad-response', `${url.host} answered ${o.what} with a redirect (HTTP ${res.status}) but no Location`, { status: res.status });
    if (hop >= MAX_REDIRECTS) throw new RegistryError('bad-response', `${o.what}: more than ${MAX_REDIRECTS} redirects, starting at ${first.host}`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new RegistryError('bad-response', `${url.host} redirected ${o.what} to an address that is not a URL`);
    }
    if (next.origin !== url.origin) {
      delete headers.authorization;
      delete headers.cookie;
    }
    if (method === 'HEAD') method = 'GET';
    from = url;
    url = next;
    hopKind = 'redirect';
    redirected = true;
  }
}

function checkUrl(url: URL, o: WalkOptions, kind: HopKind): void {
  if (url.username || url.password) {
    throw new RegistryError('bad-response', `${o.what}: the ${kind === 'realm' ? 'token realm' : 'redirect'} names credentials in its URL (${url.host}); refused`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && o.allowHttp) return;
  const where = kind === 'realm' ? 'token service' : kind === 'redirect' ? 'redirect target' : 'registry';
  throw new RegistryError('bad-response', `${o.what}: the ${where} ${url.host} is not https; only loopback or insecure-marked registries are spoken to in plain http`);
}

async function send(o: WalkOptions, url: URL, init: RegistryRequestInit): Promise<Response> {
  try {
    return await o.fetch(url.href, init);
  } catch (e) {
    if (init.signal?.aborted) throw e;
    if (e instanceof RegistryError) throw e;
    throw new RegistryError('unreachable', `could not reach ${url.host} for ${o.what} (${networkCause(e)}): check the name, the port and your connection`);
  }
}

/** undici says `fetch failed` and puts the reason (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function networkCause(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return printable(cause.code, 40);
  if (cause && typeof cause.message === 'string') return printable(cause.message, 120);
  return printable(e instanceof Error ? e.message : String(e), 120);
}

/** Drop an answer's body so the connection can be reused. */
export async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

/** The whole body, refusing more than `cap` bytes before reading them where the length is declared. */
export async function readCapped(res: Response, cap: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > cap) {
    await discard(res);
    throw new RegistryError('too-large', `${what} is ${declared} bytes, more than the ${cap} this reader accepts`);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel().catch(() => undefined);
        throw new RegistryError('too-large', `${what} is more than the ${cap} bytes this reader accepts`);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}
