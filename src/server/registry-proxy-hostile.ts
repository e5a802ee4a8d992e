// Test support for the registry proxy's tests: small servers of our own that behave as no real
// registry can (a token realm at the metadata address, redirects into private space, oversized or
// lying manifests), each recording what reached it. Not used by the server itself.
import { createHash } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { createAppServer, listen } from './app-server';
import { AllowList } from './hop-policy';
import { ownHostNames } from './proxy-request';
import { createRegistryProxy, type RegistryProxy, type RegistryProxyOptions } from './registry-proxy';

export interface Seen { method: string; url: string; headers: IncomingHttpHeaders }

export interface Hostile {
  port: number;
  /** `127.0.0.1:PORT` */
  host: string;
  seen: Seen[];
  connections: number;
  /** Requests being answered right now, and the most at once. */
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

export type HostileHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export async function startHostile(handler: HostileHandler): Promise<Hostile> {
  const sockets = new Set<Socket>();
  const h: Hostile = { port: 0, host: '', seen: [], connections: 0, inFlight: 0, maxInFlight: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    h.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    h.inFlight++;
    h.maxInFlight = Math.max(h.maxInFlight, h.inFlight);
    res.on('close', () => { h.inFlight--; });
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  server.on('connection', (s: Socket) => {
    h.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((go) => server.listen(0, '127.0.0.1', go));
  h.port = (server.address() as AddressInfo).port;
  h.host = `127.0.0.1:${h.port}`;
  h.close = () => new Promise<void>((go) => {
    for (const s of sockets) s.destroy();
    server.close(() => go());
  });
  return h;
}

export function sha256(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/** An image manifest naming one config and the given layers, with its bytes and digest. */
export function manifestOf(config: Uint8Array, layers: Uint8Array[]): { bytes: Buffer; digest: string } {
  const doc = {
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.byteLength },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(l), size: l.byteLength })),
  };
  const bytes = Buffer.from(JSON.stringify(doc));
  return { bytes, digest: sha256(bytes) };
}

export interface PageAnswer { status: number; headers: IncomingHttpHeaders; body: Buffer; aborted: boolean }

export interface PageRequest {
  method?: string;
  headers?: Record<string, string | undefined>;
}

/**
 * A request as our page sends it (X-Strata-Proxy, a session id, our Host), any part overridable:
 * node:http, so Host and Origin can be set to what a hostile page would send.
 */
export function pageRequest(port: number, path: string, opts: PageRequest = {}): Promise<PageAnswer> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, 'x-strata-proxy': '1', 'x-strata-session': 'test-session-0000001' };
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('aborted', () => { aborted = true; });
      res.on('error', () => { aborted = true; });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), aborted: aborted || !res.complete }));
    });
    // The proxy cut the connection before a status line: as the page would see it.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.message === 'socket hang up'
      ? resolve({ status: 0, headers: {}, body: Buffer.alloc(0), aborted: true }) : reject(err)));
    req.end();
  });
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

const root = mkdtempSync(path.join(tmpdir(), 'strata-proxy-'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');

export const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
export const layer = Buffer.from('layer bytes '.repeat(1000));
export const image = manifestOf(config, [layer]);

interface Running { port: number; server: Server; proxy: RegistryProxy }
const running: Running[] = [];
const hostiles: Hostile[] = [];

export async function proxyWith(o: Partial<RegistryProxyOptions> & { allow?: AllowList }): Promise<number> {
  let port = 0;
  const proxy = createRegistryProxy({ allow: o.allow ?? new AllowList(), ownHosts: () => ownHostNames('127.0.0.1', port), ...o });
  const server = createAppServer({ root, routes: [{ prefix: '/registry/', handler: proxy.handler }] });
  port = await listen(server, 0);
  running.push({ port, server, proxy });
  return port;
}

export async function hostile(handler: HostileHandler): Promise<Hostile> {
  const h = await startHostile(handler);
  hostiles.push(h);
  return h;
}

/** A well-behaved anonymous registry serving `image` under team/app:v1, plus what `extra` adds. */
export function registry(extra?: HostileHandler): HostileHandler {
  return async (req, res) => {
    const url = req.url ?? '';
    if (extra) {
      await extra(req, res);
      if (res.headersSent || res.writableEnded) return;
    }
    if (url === '/v2/') return void res.writeHead(200).end('{}');
    if (url === '/v2/team/app/manifests/v1' || url === `/v2/team/app/manifests/${image.digest}`) {
      res.writeHead(200, { 'content-type': MANIFEST_TYPE, 'docker-content-digest': image.digest, 'content-length': String(image.bytes.length) });
      return void res.end(req.method === 'HEAD' ? undefined : image.bytes);
    }
    if (url === `/v2/team/app/blobs/${sha256(config)}`) return void res.writeHead(200, { 'content-length': String(config.length) }).end(config);
    if (url === `/v2/team/app/blobs/${sha256(layer)}`) {
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (range) {
        const part = layer.subarray(Number(range[1]), Number(range[2]) + 1);
        return void res.writeHead(206, { 'content-length': String(part.length), 'content-range': `bytes ${range[1]}-${range[2]}/${layer.length}` }).end(part);
      }
      return void res.writeHead(200, { 'content-length': String(layer.length) }).end(layer);
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
  };
}

export const allowing = (...hosts: Hostile[]) => AllowList.parse(hosts.map((h) => `http://${h.host}`));
export const json = (body: Buffer) => JSON.parse(body.toString()) as { error: { code: string; message: string; retryAfter?: number } };

export async function closeAll(): Promise<void> {
  while (running.length) {
    const r = running.pop()!;
    r.proxy.close();
    r.server.closeAllConnections();
    await new Promise((go) => r.server.close(go));
  }
  while (hostiles.length) await hostiles.pop()!.close();
}

