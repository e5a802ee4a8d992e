// The registry proxy: registries send no CORS headers, so the page asks `/registry/<host>/v2/...`
// on its own origin and this route answers from the registry. It is the page's registry, without
// authentication: the token dance (Docker's token spec), Basic, redirects to blob storage and
// digest checks all happen here, in a RegistryClient whose transport is safe-fetch.ts and whose
// hop check is hop-policy.ts. The page sees 200s, or a JSON error (`X-Strata-Proxy-Error`) naming
// what to do; a 401 is the page's cue to ask for a username and password.
//
// Served: `/v2/` (answered here), manifests by tag or digest (HEAD resolves, GET returns the
// verified bytes, at most 4 MiB), blobs by digest (streamed with backpressure, never buffered, at
// the size the manifest this page was served declares). Tags lists and referrers are valid paths
// the client has no call for yet: they answer 501.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeReference, RegistryClient, type Reference } from '../core/registry';
import { isDigest, type Digest } from '../core/types';
import { AllowList, HopPolicy, registryOrigin, type HopKind } from './hop-policy';
import { checkFromOwnPage, parseProxyPath, ProxyRequestError, type ProxyPath } from './proxy-request';
import { DEFAULT_LIMITS, ProxySessions, type Credentials, type HostState, type Limits } from './proxy-sessions';
import { replyError, securityHeaders, rateLimitHeaders } from './proxy-reply';
import { createSafeFetch, type Resolve, type Timeouts } from './safe-fetch';

export const PROXY_PREFIX = '/registry/';
/** A token answer larger than this is not a token (Docker Hub's are ~3 KiB). */
export const MAX_TOKEN_BYTES = 256 * 1024;
/** distribution's own manifest limit. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface RegistryProxyOptions {
  /** Hosts the operator let into loopback and private space (`--allow-registry`). */
  allow: AllowList;
  /** The Host header values of our own page (ownHostNames after listen). */
  ownHosts: () => Set<string>;
  resolve?: Resolve;
  timeouts?: Partial<Timeouts>;
  limits?: Partial<Limits>;
  /** Extra TLS trust (tests). */
  ca?: string | Buffer;
}

export interface RegistryProxy {
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  close(): void;
}

type Client = RegistryClient;

export function createRegistryProxy(options: RegistryProxyOptions): RegistryProxy {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const sessions = new ProxySessions<Client>((host, credentials) => makeClient(options, host, credentials), limits);

  async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const abort = new AbortController();
    res.on('close', () => { if (!res.writableFinished) abort.abort(new Error('the page went away')); });
    try {
      // A cross-origin script's preflight: refused, and with no Access-Control-* header.
      if (req.method === 'OPTIONS') throw new ProxyRequestError(403, 'forbidden', 'cross-origin requests to the registry proxy are refused');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new ProxyRequestError(405, 'method-not-allowed', `${String(req.method).slice(0, 16)} is refused: the registry proxy only reads (GET, HEAD)`);
      }
      checkFromOwnPage(req, options.ownHosts());
      const path = parseProxyPath(req.url ?? '', PROXY_PREFIX);
      const session = sessionOf(req);
      const { state, limiter } = sessions.host(session, path.host, credentialsOf(req));
      await limiter.run(() => serve(req, res, path, state, abort.signal), abort.signal);
    } catch (err) {
      if (abort.signal.aborted) { res.destroy(); return; }
      replyError(res, err);
    }
  }

  return { handler, close: () => sessions.close() };
}

function makeClient(options: RegistryProxyOptions, host: string, credentials: () => Credentials | undefined): Client {
  const origin = registryOrigin(options.allow, host);
  const policy = new HopPolicy(options.allow, origin);
  // The client names each hop before it fetches it; the transport checks that hop's address.
  const kinds = new Map<string, HopKind>();
  const transport = createSafeFetch({
    policy,
    kindOf: (url) => kinds.get(url.href) ?? 'registry',
    ...(options.resolve ? { resolve: options.resolve } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
    bodyLimit: (url) => (kinds.get(url.href) === 'realm' ? MAX_TOKEN_BYTES : isBlobPath(url, origin.url) || kinds.get(url.href) === 'redirect' ? undefined : MAX_MANIFEST_BYTES + 64 * 1024),
  });
  return new RegistryClient({
    fetch: (url, init) => transport(url, init),
    checkHop: (_from, to, kind) => {
      policy.checkUrl(to, kind);
      if (kinds.size > 256) kinds.clear();
      kinds.set(to.href, kind);
    },
    credentials: (registry) => (registry === host ? credentials() : undefined),
    insecureHosts: origin.url.protocol === 'http:' ? [host] : [],
    maxManifestBytes: MAX_MANIFEST_BYTES,
  });
}

function isBlobPath(url: URL, registry: URL): boolean {
  return url.host === registry.host && /^\/v2\/.+\/blobs\/sha256:[a-f0-9]{64}$/.test(url.pathname);
}

/** The page's random per-load id: its credentials, token cache and limits are kept under it. */
function sessionOf(req: IncomingMessage): string {
  const id = req.headers['x-strata-session'];
  if (typeof id !== 'string' || !/^[A-Za-z0-9-]{16,64}$/.test(id)) {
    throw new ProxyRequestError(400, 'bad-request', 'the X-Strata-Session header (16-64 letters, digits or dashes) is missing');
  }
  return id;
}

/** `X-Strata-Credentials: Basic base64(user:password)`, sent by the page only for this host. */
function credentialsOf(req: IncomingMessage): Credentials | undefined {
  const h = req.headers['x-strata-credentials'];
  if (h === undefined) return undefined;
  const m = typeof h === 'string' && h.length <= 8192 ? /^Basic ([A-Za-z0-9+/]+=*)$/.exec(h) : null;
  const text = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon <= 0) throw new ProxyRequestError(400, 'bad-request', 'the credentials header is not Basic base64(username:password)');
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function referenceFor(path: ProxyPath, name: string, tagOrDigest: string): Reference {
  return makeReference({
    registry: path.host,
    apiHost: path.host,
    repository: name,
    ...(isDigest(tagOrDigest) ? { digest: tagOrDigest } : { tag: tagOrDigest }),
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, path: ProxyPath, state: HostState<Client>, signal: AbortSignal): Promise<void> {
  const head = req.method === 'HEAD';
  const r = path.request;
  switch (r.kind) {
    case 'ping':
      res.writeHead(200, { ...securityHeaders('application/json'), 'docker-distribution-api-version': 'registry/2.0' }).end(head ? undefined : '{}');
      return;
    case 'manifest':
      return serveManifest(res, head, referenceFor(path, r.name, r.reference), state, signal);
    case 'blob':
      return serveBlob(req, res, head, referenceFor(path, r.name, r.digest), r.digest as Digest, state, signal);
    default:
      throw new ProxyRequestError(501, 'not-implemented', `the ${r.kind} API is not served by this proxy yet`);
  }
}

async function serveManifest(res: ServerResponse, head: boolean, ref: Reference, state: HostState<Client>, signal: AbortSignal): Promise<void> {
  const { client } = state;
  const resolved = head || !ref.digest ? await client.resolve(ref, signal) : undefined;
  if (head) {
    res.writeHead(200, {
      ...securityHeaders(resolved!.mediaType ?? 'application/octet-stream'),
      'docker-content-digest': resolved!.digest,
      ...(resolved!.size !== undefined ? { 'content-length': String(resolved!.size) } : {}),
      ...rateLimitHeaders(client.rateLimit(ref)),
    }).end();
    return;
  }
  const digest = ref.digest ?? resolved!.digest;
  const m = await client.manifest(ref, digest, signal);
  ProxySessions.remember(state, descriptorsOf(m.bytes));
  res.writeHead(200, {
    ...securityHeaders(m.mediaType ?? 'application/octet-stream'),
    'docker-content-digest': m.digest,
    'content-length': String(m.bytes.byteLength),
    ...rateLimitHeaders(client.rateLimit(ref)),
  }).end(m.bytes);
}

/** The config and layer descriptors of an image manifest (an index names manifests, fetched as such). */
function descriptorsOf(bytes: Uint8Array): { digest: string; size: number }[] {
  let doc: { config?: unknown; layers?: unknown };
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes)) as typeof doc;
  } catch {
    return [];
  }
  const list = [doc.config, ...(Array.isArray(doc.layers) ? doc.layers : [])];
  return list.flatMap((d) => {
    const { digest, size } = (d ?? {}) as { digest?: unknown; size?: unknown };
    return isDigest(digest) && typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? [{ digest, size }] : [];
  });
}

/** `bytes=a-b` or `bytes=a-` (one range, RFC 9110 14.1.2), within a blob of `size` bytes. */
function rangeOf(header: string | undefined, size: number): { from: number; to: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d{1,15})-(\d{1,15})?$/.exec(header.trim());
  const from = m ? Number(m[1]) : NaN;
  const to = m?.[2] !== undefined ? Math.min(Number(m[2]) + 1, size) : size;
  if (!m || from >= size || to <= from) throw new ProxyRequestError(416, 'bad-request', `the range ${JSON.stringify(header.slice(0, 40))} is not inside the blob's ${size} bytes`);
  return { from, to };
}

async function serveBlob(req: IncomingMessage, res: ServerResponse, head: boolean, ref: Reference, digest: Digest, state: HostState<Client>, signal: AbortSignal): Promise<void> {
  const size = state.sizes.get(digest);
  if (size === undefined) {
    throw new ProxyRequestError(404, 'not-found', `blob ${digest} is not named by a manifest this page was served: fetch the manifest first`);
  }
  const range = rangeOf(req.headers.range, size);
  const base = { ...securityHeaders('application/octet-stream'), 'docker-content-digest': digest, 'accept-ranges': 'bytes' };
  if (head) {
    res.writeHead(200, { ...base, 'content-length': String(size) }).end();
    return;
  }
  const stream = await state.client.blob(ref, digest, size, { signal, ...(range ?? {}) });
  // The first chunk before the status line: a blob that fails at once still gets a JSON error.
  const reader = stream.getReader();
  const first = await reader.read();
  const length = range ? range.to - range.from : size;
  res.writeHead(range ? 206 : 200, {
    ...base,
    'content-length': String(length),
    ...(range ? { 'content-range': `bytes ${range.from}-${range.to - 1}/${size}` } : {}),
  });
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let r = first; !r.done; r = await reader.read()) yield r.value;
  }
  // pipeline waits on res's 'drain': a slow page slows the registry read instead of filling memory.
  // A failure mid-body cuts the answer short: the page sees fewer bytes than Content-Length.
  await pipeline(Readable.from(chunks(), { objectMode: false }), res).catch(() => {
    void reader.cancel().catch(() => undefined);
    res.destroy();
  });
}
