// What the registry proxy accepts from the page: only our own page (a custom header, our Origin,
// our Host), only GET/HEAD, only the read side of the OCI distribution API with names, tags and
// digests checked against the spec's grammar. The upstream path is rebuilt from the parsed parts;
// nothing of the page's URL is forwarded as written.
import type { IncomingMessage } from 'node:http';
import { networkInterfaces, hostname as machineName } from 'node:os';

export class ProxyRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ProxyRequestError';
  }
}

export type ReadRequest =
  | { kind: 'ping' }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'tags'; name: string }
  | { kind: 'referrers'; name: string; digest: string };

export interface ProxyPath {
  /** Registry `host[:port]`, lower case; Docker Hub's `docker.io` becomes its API host. */
  host: string;
  request: ReadRequest;
  /** The path and query to ask the registry for, rebuilt from the checked parts. */
  upstreamPath: string;
}

// OCI distribution-spec "Pulling": <name> and <reference> grammar.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `${COMPONENT}(?:/${COMPONENT})*`;
const TAG = '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}';
// Digests the image-spec registers; other algorithms are refused rather than passed on.
const DIGEST = 'sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}';
const LABEL = '(?:[a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])';
const HOST = `(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-f:.]+\\])(?::[0-9]{1,5})?`;

const ROUTES: { re: RegExp; make: (m: RegExpExecArray) => ReadRequest }[] = [
  { re: new RegExp(`^(${NAME})/manifests/(${TAG}|${DIGEST})$`), make: (m) => ({ kind: 'manifest', name: m[1]!, reference: m[2]! }) },
  { re: new RegExp(`^(${NAME})/blobs/(${DIGEST})$`), make: (m) => ({ kind: 'blob', name: m[1]!, digest: m[2]! }) },
  { re: new RegExp(`^(${NAME})/tags/list$`), make: (m) => ({ kind: 'tags', name: m[1]! }) },
  { re: new RegExp(`^(${NAME})/referrers/(${DIGEST})$`), make: (m) => ({ kind: 'referrers', name: m[1]!, digest: m[2]! }) },
];

const bad = (message: string) => new ProxyRequestError(400, 'bad-request', message);

function checkQuery(request: ReadRequest, query: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const [key, value] of query) {
    if (request.kind === 'tags' && key === 'n' && /^[1-9][0-9]{0,4}$/.test(value)) out.set('n', value);
    else if (request.kind === 'tags' && key === 'last' && new RegExp(`^${TAG}$`).test(value)) out.set('last', value);
    else if (request.kind === 'referrers' && key === 'artifactType' && /^[\w.+-]{1,127}\/[\w.+-]{1,127}$/.test(value)) out.set('artifactType', value);
    else throw bad(`query parameter ${JSON.stringify(key.slice(0, 40))} is not part of the ${request.kind} API`);
  }
  const text = out.toString();
  return text ? `?${text}` : '';
}

/** Parses `/registry/<host[:port]>/v2/...` from the raw request URL. Throws ProxyRequestError. */
export function parseProxyPath(rawUrl: string, prefix = '/registry/'): ProxyPath {
  if (!rawUrl.startsWith(prefix)) throw bad('not a registry proxy path');
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  if (/[%\\]|\/\/|\/\.\.?(?:\/|$)/.test(path)) throw bad('the path may not hold percent-escapes, backslashes, empty or dot segments');
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf('/');
  const hostText = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  if (!new RegExp(`^${HOST}$`).test(hostText)) throw bad(`${JSON.stringify(hostText.slice(0, 80))} is not a registry host[:port]`);
  const api = slash < 0 ? '' : rest.slice(slash);
  if (!api.startsWith('/v2/')) throw bad('only the registry API under /v2/ is proxied');
  const host = hostText === 'docker.io' || hostText === 'index.docker.io' ? 'registry-1.docker.io' : hostText;
  const v2 = api.slice('/v2/'.length);
  let request: ReadRequest | undefined;
  if (v2 === '') request = { kind: 'ping' };
  for (const route of ROUTES) {
    const m = request ? null : route.re.exec(v2);
    if (m) request = route.make(m);
  }
  if (!request) throw bad('only the read API is proxied: /v2/, manifests by tag or digest, blobs by digest, tags/list, referrers');
  if ('name' in request && request.name.length + host.length + 1 > 255) throw bad('the repository name is longer than 255 characters');
  const query = q < 0 ? '' : checkQuery(request, new URLSearchParams(rawUrl.slice(q + 1)));
  return { host, request, upstreamPath: `/v2/${v2}${query}` };
}

/** The `Host` header values our own page sends: the address we listen on under each of its names. */
export function ownHostNames(listenHost: string, port: number): Set<string> {
  const names = new Set<string>();
  const add = (h: string) => {
    const bracketed = h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
    names.add(`${bracketed.toLowerCase()}:${port}`);
    if (port === 80) names.add(bracketed.toLowerCase());
  };
  const loopback = ['127.0.0.1', 'localhost', '::1'];
  if (loopback.includes(listenHost)) loopback.forEach(add);
  else if (listenHost === '0.0.0.0' || listenHost === '::') {
    loopback.forEach(add);
    add(machineName());
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) add(a.address.split('%')[0]!);
  } else add(listenHost);
  return names;
}

/** Throws unless the request comes from our own page (see the file comment). */
export function checkFromOwnPage(req: IncomingMessage, ownHosts: Set<string>): void {
  const deny = (message: string) => new ProxyRequestError(403, 'forbidden', message);
  const host = (req.headers.host ?? '').toLowerCase();
  // DNS rebinding: a hostile name pointed at this address reaches us with its own name as Host.
  if (!ownHosts.has(host)) throw deny(`the Host header ${JSON.stringify(host.slice(0, 80))} is not this server's address`);
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) throw deny('requests from other origins are refused');
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw deny(`a ${site} request is refused`);
  // A header no form or <img> can send: a cross-origin script must preflight, and we refuse that.
  if (req.headers['x-strata-proxy'] !== '1') throw deny('the X-Strata-Proxy: 1 header is missing (only Strata\'s page may use this proxy)');
}
