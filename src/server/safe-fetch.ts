// The proxy's upstream transport: a fetch-shaped function over node:http/https that checks the
// address it connects to. DNS answers are checked inside the connection's own `lookup`, so the
// address validated is the address dialled (a name that rebinds to 127.0.0.1 between a check and
// the connect is refused at connect), and `socket.remoteAddress` is checked again once connected.
// Redirects are never followed here: the registry client follows them hop by hop, asking the
// policy first (hop-policy.ts). Set-Cookie never leaves this function; no cookie jar exists.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { RegistryError } from '../core/registry';
import { HopRefused, type HopKind, type HopPolicy } from './hop-policy';

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export interface Timeouts {
  /** From the request's start to an open (TLS-finished) connection. */
  connectMs: number;
  /** From the request being sent to the response's status line and headers. */
  firstByteMs: number;
  /** Longest silence while the body streams. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, firstByteMs: 30_000, idleMs: 30_000 };

export interface SafeFetchOptions {
  policy: HopPolicy;
  /** Which hop a URL is (the registry client says so through checkHop); 'registry' by default. */
  kindOf?: (url: URL) => HopKind;
  /** DNS; tests inject their own names. */
  resolve?: Resolve;
  timeouts?: Partial<Timeouts>;
  /** Extra TLS trust for tests (a self-signed registry). */
  ca?: string | Buffer;
  /** Largest body this request may answer with (manifests, tokens); undefined: no cap (blobs). */
  bodyLimit?: (url: URL) => number | undefined;
}

export interface SafeFetchInit {
  method?: string;
  headers?: Record<string, string> | Headers;
  signal?: AbortSignal;
}

export type SafeFetch = (url: string | URL, init?: SafeFetchInit) => Promise<Response>;

/**
 * A transport error the proxy can name: a timeout, a broken connection, a body over its cap. A
 * RegistryError, so the client passes it on with its message instead of a generic one.
 */
export class TransportError extends RegistryError {
  readonly timeout: boolean;
  constructor(message: string, kind: 'timeout' | 'unreachable' | 'too-large') {
    super(kind === 'too-large' ? 'too-large' : 'unreachable', message);
    this.name = 'TransportError';
    this.timeout = kind === 'timeout';
  }
}

const defaultResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

// Response headers that describe one connection, not the resource (RFC 9110 7.6.1), and cookies.
const DROP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'proxy-authenticate', 'proxy-authorization', 'set-cookie', 'set-cookie2']);

function toHeaders(res: IncomingMessage): Headers {
  const out = new Headers();
  const named = (res.headers.connection ?? '').split(',').map((s) => s.trim().toLowerCase());
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || DROP.has(name) || named.includes(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  }
  return out;
}

/** Caps a body at `limit` bytes, failing the stream (not truncating it) past that. */
function capped(body: Readable, limit: number, url: URL): Readable {
  let seen = 0;
  body.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) body.destroy(new TransportError(`${url.host} sent more than ${limit} bytes for ${url.pathname}`, 'too-large'));
  });
  return body;
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The connection's own DNS step: every address a name resolves to must pass the policy (a name that
 * also answers with a loopback address is refused outright rather than filtered).
 */
function checkedLookup(url: URL, kind: HopKind, policy: HopPolicy, resolve: Resolve) {
  return (hostname: string, opts: { all?: boolean }, cb: LookupCallback) => {
    resolve(hostname).then((addresses) => {
      const first = addresses[0];
      if (!first) throw new TransportError(`${url.host}: the name does not resolve`, 'unreachable');
      for (const a of addresses) policy.checkAddress(url, a.address, kind);
      if (opts.all) cb(null, addresses);
      else cb(null, first.address, first.family);
    }).catch((err: Error) => cb(err, ''));
  };
}

function requestHeaders(init: SafeFetchInit): Record<string, string> {
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((v, k) => { headers[k] = v; });
  delete headers.cookie;
  headers['user-agent'] ??= 'strata-registry-proxy';
  return headers;
}

/** The upstream answer as a fetch Response, its body capped at `limit` when one is given. */
function toResponse(res: IncomingMessage, url: URL, method: string, limit: number | undefined): Response {
  const status = res.statusCode ?? 502;
  const declared = Number(res.headers['content-length']);
  if (limit !== undefined && declared > limit) {
    res.destroy();
    throw new TransportError(`${url.host} answered ${declared} bytes for ${url.pathname}, more than the ${limit} allowed`, 'too-large');
  }
  // The Response constructor allows 200-599 only; anything else is a broken upstream.
  if (status < 200 || status > 599) {
    res.destroy();
    throw new TransportError(`${url.host} answered status ${status}`, 'unreachable');
  }
  const noBody = method === 'HEAD' || status === 204 || status === 304;
  if (noBody) res.resume();
  const body = noBody ? null : Readable.toWeb(limit === undefined ? res : capped(res, limit, url)) as ReadableStream<Uint8Array>;
  return new Response(body, { status, statusText: res.statusMessage, headers: toHeaders(res) });
}

export function createSafeFetch(options: SafeFetchOptions): SafeFetch {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const resolve = options.resolve ?? defaultResolve;
  const { policy } = options;

  return (input, init = {}) => new Promise<Response>((done, fail) => {
    const url = new URL(String(input));
    const kind = options.kindOf?.(url) ?? 'registry';
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') throw new HopRefused(`method ${method} is never sent upstream`);
    policy.checkUrl(url, kind);
    if (init.signal?.aborted) throw init.signal.reason;

    // An IP literal skips `lookup` (Node dials it directly): checkUrl has classed it already.
    const bare = url.hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(bare) !== 0;
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)({
      protocol: url.protocol, hostname: bare, port: url.port || undefined, path: url.pathname + url.search,
      method, headers: requestHeaders(init), agent: false, ca: options.ca,
      ...(literal ? {} : { lookup: checkedLookup(url, kind, policy, resolve), servername: bare }),
    });

    let settled = false;
    const timers = new Set<NodeJS.Timeout>();
    const stopTimers = () => { for (const t of timers) clearTimeout(t); timers.clear(); };
    const fault = (err: Error) => {
      stopTimers();
      req.destroy(err);
      if (!settled) { settled = true; fail(err); }
    };
    const timer = (ms: number, what: string) => {
      const t = setTimeout(() => fault(new TransportError(`${url.host}: no ${what} within ${ms / 1000} s`, 'timeout')), ms);
      timers.add(t);
      return t;
    };
    const connectTimer = timer(timeouts.connectMs, 'connection');
    const onAbort = () => fault(init.signal?.reason instanceof Error ? init.signal.reason : new Error('aborted'));
    init.signal?.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket: Socket) => {
      // Checked again once connected: the address dialled is the address the policy saw.
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        clearTimeout(connectTimer);
        try {
          policy.checkAddress(url, socket.remoteAddress ?? '', kind);
        } catch (err) {
          fault(err as Error);
          return;
        }
        timer(timeouts.firstByteMs, 'answer');
      });
      socket.setTimeout(timeouts.idleMs, () => fault(new TransportError(`${url.host}: silent for ${timeouts.idleMs / 1000} s`, 'timeout')));
    });
    req.on('error', (err) => fault(err instanceof HopRefused || err instanceof TransportError ? err
      : new TransportError(`${url.host}: ${(err as NodeJS.ErrnoException).code ?? err.message}`, 'unreachable')));
    req.on('response', (res) => {
      stopTimers();
      if (settled) { res.destroy(); return; }
      settled = true;
      res.on('close', () => init.signal?.removeEventListener('abort', onAbort));
      try {
        done(toResponse(res, url, method, options.bodyLimit?.(url)));
      } catch (err) {
        fail(err as Error);
      }
    });
    req.end();
  });
}
