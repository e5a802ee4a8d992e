// What no real registry serves on demand, from a small server of our own holding a real image (our
// fixture writer's): tampered and oversized manifests, blobs of the wrong length, redirects to
// storage on another origin (credentials must not follow), presigned URLs that expired, rate limits.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEntry } from '../cli';
import { nodeTransport } from '../../src/cli/registry-image';
import { installNodeSha256 } from '../../src/cli/node-hash';
import { parseReference, RegistryClient, RegistryError, RegistryImageSource, type HopKind } from '../../src/core/registry';
import { buildImage, type BuiltImage } from '../../src/testing';
import { APP } from './images';
import { startTinyServer, type TinyServer } from './tiny-server';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
let image: BuiltImage;
const servers: TinyServer[] = [];

beforeAll(async () => {
  installNodeSha256();
  image = await buildImage(APP, 'gzip');
});
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.stop())); });

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | void;

/** A registry serving `image` at repository `app`, tag `1`; `override` answers first when it returns true. */
async function registry(override: Handler = () => false): Promise<TinyServer> {
  const s = await startTinyServer((req, res) => {
    if (override(req, res) === true) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/v2/') { res.writeHead(200).end('{}'); return; }
    const m = /^\/v2\/app\/(manifests|blobs)\/(.+)$/.exec(path);
    const body = m && blobFor(m[1]!, m[2]!);
    if (!body) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"\\u001b[31mgone"}]}'); return; }
    res.writeHead(200, {
      'content-length': body.byteLength,
      ...(m![1] === 'manifests' ? { 'content-type': MANIFEST, 'docker-content-digest': image.manifestDigest } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  servers.push(s);
  return s;
}

function blobFor(kind: string, ref: string): Uint8Array | undefined {
  if (kind === 'manifests') return ref === '1' || ref === image.manifestDigest ? image.manifest : undefined;
  if (ref === image.configDigest) return image.config;
  return image.layers.find((l) => l.digest === ref)?.blob;
}

function client(opts: { creds?: boolean; hops?: [HopKind, string | null, string][] } = {}) {
  return new RegistryClient({
    fetch: nodeTransport,
    ...(opts.creds ? { credentials: () => ({ username: 'u', password: 'p4ss' }) } : {}),
    ...(opts.hops ? { checkHop: (from: URL | null, to: URL, kind: HopKind) => { opts.hops!.push([kind, from?.host ?? null, to.host]); } } : {}),
  });
}

async function failure(p: Promise<unknown>): Promise<RegistryError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RegistryError);
  return e as RegistryError;
}

async function readAll(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(s).arrayBuffer());
}

describe('a registry that serves other bytes than it names', () => {
  it('a manifest that does not hash to its digest fails with digest-mismatch', async () => {
    const tampered = new TextEncoder().encode(new TextDecoder().decode(image.manifest).replace('"size":', '"size": '));
    const s = await registry((req, res) => {
      if (req.method !== 'GET' || !req.url?.includes('/manifests/')) return false;
      res.writeHead(200, { 'content-type': MANIFEST, 'content-length': tampered.byteLength }).end(tampered);
      return true;
    });
    const e = await failure(new RegistryImageSource(client(), parseReference(`${s.host}/app:1`)).list());
    expect(e.code).toBe('digest-mismatch');
    expect(e.message).toMatch(new RegExp(`^manifest ${image.manifestDigest} of ${s.host}/app hashes to sha256:[0-9a-f]{64}: the registry`));
  });

  it('a manifest over 4 MiB is refused from its Content-Length, unread', async () => {
    const s = await registry((req, res) => {
      if (req.method !== 'GET' || !req.url?.includes('/manifests/')) return false;
      res.writeHead(200, { 'content-type': MANIFEST, 'content-length': 5 * 1024 * 1024 });
      res.write(new Uint8Array(1024));
      return true;
    });
    const e = await failure(new RegistryImageSource(client(), parseReference(`${s.host}/app:1`)).list());
    expect([e.code, e.message]).toEqual(['too-large', `manifest ${image.manifestDigest} of ${s.host}/app is 5242880 bytes, more than the 4194304 this reader accepts`]);
  });

  it('a layer longer or shorter than its descriptor fails its stream', async () => {
    const layer = image.layers[1]!;
    for (const [extra, code, message] of [
      [new Uint8Array(10), 'too-large', 'is longer than the 374 bytes its descriptor declares'],
      [null, 'bad-response', 'ended after 300 of 374 bytes'],
    ] as const) {
      const s = await registry((req, res) => {
        if (!req.url?.endsWith(layer.digest)) return false;
        // No Content-Length: the length is only known by counting.
        res.writeHead(200);
        res.end(extra ? Buffer.concat([layer.blob, extra]) : layer.blob.subarray(0, 300));
        return true;
      });
      const src = new RegistryImageSource(client(), parseReference(`${s.host}/app:1`));
      const plan = (await src.list()).images[0]!.layers[1]!;
      expect(plan.declaredSize).toBe(374);
      const e = await failure(readAll(src.layer(plan).stream()));
      expect(e.code).toBe(code);
      expect(e.message).toContain(message);
    }
  });

  it('what a registry writes in an error body never reaches the message', async () => {
    const s = await registry();
    const e = await failure(client().manifest(parseReference(`${s.host}/app:1`), `sha256:${'1'.repeat(64)}` as never));
    expect(e.code).toBe('not-found');
    expect(e.message).toBe(`${s.host} has no manifest sha256:${'1'.repeat(64)} in app: check the repository name and the digest`);
  });
});

describe('redirects to blob storage', () => {
  async function storage(expireFirst: boolean): Promise<TinyServer> {
    let served = 0;
    const s = await startTinyServer((req, res) => {
      const digest = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
      const blob = blobFor('blobs', digest);
      if (!blob || req.method !== 'GET') { res.writeHead(403).end(); return; }
      if (expireFirst && served++ === 0) { res.writeHead(403).end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'); return; }
      res.writeHead(200, { 'content-length': blob.byteLength }).end(blob);
    });
    servers.push(s);
    return s;
  }

  function redirectingRegistry(store: TinyServer, needAuth: boolean): Promise<TinyServer> {
    return registry((req, res) => {
      if (needAuth && req.headers.authorization !== `Basic ${Buffer.from('u:p4ss').toString('base64')}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="tiny"' }).end();
        return true;
      }
      const m = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '');
      if (!m) return false;
      res.writeHead(307, { location: `http://${store.host}/${m[1]}?X-Amz-Signature=s3cr3t&X-Amz-Expires=60` }).end();
      return true;
    });
  }

  it('follows a 307 to another origin without the registry\'s credentials, checking every hop', async () => {
    const store = await storage(false);
    const reg = await redirectingRegistry(store, true);
    const hops: [HopKind, string | null, string][] = [];
    const src = new RegistryImageSource(client({ creds: true, hops }), parseReference(`${reg.host}/app:1`));
    const listing = await src.list();
    const got = await readAll(src.layer(listing.images[0]!.layers[0]!).stream());
    expect(got).toEqual(image.layers[0]!.blob);
    expect(store.seen.length).toBe(2); // the config and the layer
    expect(store.seen.map((r) => [r.method, r.headers.authorization, r.headers.cookie])).toEqual([['GET', undefined, undefined], ['GET', undefined, undefined]]);
    expect(reg.seen.filter((r) => r.path !== '/v2/').every((r) => r.headers.authorization?.startsWith('Basic '))).toBe(true);
    expect(hops).toContainEqual(['redirect', reg.host, store.host]);
    expect(hops.filter(([kind]) => kind === 'registry').every(([, from, to]) => from === null && to === reg.host)).toBe(true);
  });

  it('asks the registry again when the presigned URL has expired', async () => {
    const store = await storage(true);
    const reg = await redirectingRegistry(store, false);
    const src = new RegistryImageSource(client(), parseReference(`${reg.host}/app:1`));
    const listing = await src.list(); // the config's first try expires
    expect(listing.images[0]!.configDigest).toBe(image.configDigest);
    expect(reg.seen.filter((r) => r.path.endsWith(image.configDigest)).length).toBe(2);
    expect(store.seen.map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('a hop the policy refuses is never made', async () => {
    const store = await storage(false);
    const reg = await redirectingRegistry(store, false);
    const refuse = new RegistryClient({
      fetch: nodeTransport,
      checkHop: (_from, to, kind) => { if (kind === 'redirect') throw new RegistryError('denied', `redirect to ${to.host} refused by policy`); },
    });
    const e = await failure(new RegistryImageSource(refuse, parseReference(`${reg.host}/app:1`)).list());
    expect([e.code, e.message]).toEqual(['denied', `redirect to ${store.host} refused by policy`]);
    expect(store.seen).toEqual([]);
  });
});

describe('rate limits', () => {
  it('a 429 says how long to wait and how many pulls are left', async () => {
    const s = await registry((req, res) => {
      if (!req.url?.includes('/manifests/')) return false;
      res.writeHead(429, { 'retry-after': '30', 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' }).end();
      return true;
    });
    const e = await failure(new RegistryImageSource(client(), parseReference(`${s.host}/app:1`)).list());
    expect(e.code).toBe('rate-limited');
    expect(e.retryAfter).toBe(30);
    expect(e.rateLimit).toEqual({ limit: 100, remaining: 0, windowSeconds: 21600 });
    expect(e.message).toBe(`${s.host} rate limit reached (0 of 100 pulls left per 6 h): try again in 30 s, or log in for a higher limit`);
  });

  it('the pulls left, from the HEAD of the tag, are on the source after list()', async () => {
    const s = await registry((req, res) => {
      if (req.method !== 'HEAD') return false;
      res.writeHead(200, {
        'content-type': MANIFEST, 'content-length': image.manifest.byteLength, 'docker-content-digest': image.manifestDigest,
        'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600',
      }).end();
      return true;
    });
    const src = new RegistryImageSource(client(), parseReference(`${s.host}/app:1`));
    await src.list();
    expect(src.rateLimit).toEqual({ limit: 100, remaining: 76, windowSeconds: 21600 });
  });
});

describe('plain http only where the registry itself is', () => {
  /** The transport seam: `https://registry.example.com` is served by our loopback server. */
  function viaLoopback(host: string) {
    return (url: string, init: Parameters<typeof nodeTransport>[1]) => nodeTransport(url.replace('https://registry.example.com', `http://${host}`), init);
  }

  it('an https registry naming an http token realm is refused before the realm is asked', async () => {
    const realm = await startTinyServer((_req, res) => { res.writeHead(200).end('{"token":"t"}'); });
    servers.push(realm);
    const s = await registry((req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${realm.host}/token",service="x"` }).end();
      return true;
    });
    const c = new RegistryClient({ fetch: viaLoopback(s.host) });
    const e = await failure(c.resolve(parseReference('registry.example.com/app:1')));
    expect([e.code, e.message]).toEqual(['bad-response', `a token from ${realm.host} for registry.example.com: the token service ${realm.host} is not https; only loopback or insecure-marked registries are spoken to in plain http`]);
    expect(realm.seen).toEqual([]);
  });

  it('a loopback registry may name an http realm; the realm hop is checked from the registry', async () => {
    const hops: [HopKind, string | null, string][] = [];
    const s = await registry((req, res) => {
      if (req.url?.startsWith('/token')) { res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"tok-1","expires_in":300}'); return true; }
      if (req.headers.authorization !== 'Bearer tok-1') {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${s.host}/token",service="tiny",scope="repository:app:pull"` }).end();
        return true;
      }
      return false;
    });
    const src = new RegistryImageSource(client({ hops }), parseReference(`${s.host}/app:1`));
    await src.list();
    expect(hops.slice(0, 3)).toEqual([['registry', null, s.host], ['realm', s.host, s.host], ['registry', null, s.host]]);
    expect(s.seen.filter((r) => r.path.startsWith('/token?')).map((r) => r.path)).toEqual(['/token?service=tiny&scope=repository%3Aapp%3Apull']);
  });

  it('an https registry redirecting to http storage is refused', async () => {
    const s = await registry((req, res) => {
      if (!req.url?.includes('/blobs/')) return false;
      res.writeHead(302, { location: `http://${req.headers.host}/storage/x` }).end();
      return true;
    });
    const c = new RegistryClient({ fetch: viaLoopback(s.host) });
    const e = await failure(new RegistryImageSource(c, parseReference('registry.example.com/app:1')).list());
    expect(e.message).toBe(`registry.example.com/app: the redirect target ${s.host} is not https; only loopback or insecure-marked registries are spoken to in plain http`);
  });
});

describe('token scopes', () => {
  it('a 401 naming a new scope gets a token for that scope, once', async () => {
    // Blobs here need a second repository's scope as well (a registry serving a mounted base).
    const wide = 'repository:app:pull repository:base:pull';
    const s = await registry((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/token') {
        const scopes = url.searchParams.getAll('scope').join(' ');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `tok.${Buffer.from(scopes).toString('hex')}` }));
        return true;
      }
      const granted = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer tok\./, ''), 'hex').toString();
      const need = url.pathname.includes('/blobs/') ? wide : 'repository:app:pull';
      if (url.pathname !== '/v2/' && granted !== need && granted !== wide) {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="tiny",scope="${need}"` }).end();
        return true;
      }
      if (url.pathname === '/v2/') { res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="tiny"` }).end(); return true; }
      return false;
    });
    const src = new RegistryImageSource(client(), parseReference(`${s.host}/app:1`));
    const listing = await src.list();
    await readAll(src.layer(listing.images[0]!.layers[0]!).stream());
    const tokens = s.seen.filter((r) => r.path.startsWith('/token?')).map((r) => decodeURIComponent(r.path).replace(/\+/g, ' '));
    expect(tokens).toEqual(['/token?service=tiny&scope=repository:app:pull', '/token?service=tiny&scope=repository:app:pull&scope=repository:base:pull']);
  });
});

describe('a HEAD without Docker-Content-Digest', () => {
  it('resolves the tag by GET and hashes the manifest itself, fetching it once', async () => {
    const s = await registry((req, res) => {
      if (req.method !== 'HEAD') return false;
      res.writeHead(200, { 'content-type': MANIFEST, 'content-length': image.manifest.byteLength }).end();
      return true;
    });
    const listing = await new RegistryImageSource(client(), parseReference(`${s.host}/app:1`)).list();
    expect(listing.images[0]!.manifestDigest).toBe(image.manifestDigest);
    expect(s.seen.filter((r) => r.path.includes('/manifests/')).map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /v2/app/manifests/1', 'GET /v2/app/manifests/1']);
  });
});

describe('the CLI against such a registry', () => {
  async function analyze(args: string[]) {
    // A HOME of its own: no credentials of the user's reach this registry.
    const home = await mkdtemp(join(tmpdir(), 'strata-home-'));
    return runEntry('src/cli/analyze.ts', args, { env: { PATH: process.env.PATH ?? '', HOME: home } });
  }

  it('prints the pulls left after a load, and exits 1 on a manifest that does not match its digest', async () => {
    const limited = await registry((req, res) => {
      if (req.method !== 'HEAD') return false;
      res.writeHead(200, {
        'content-type': MANIFEST, 'content-length': image.manifest.byteLength, 'docker-content-digest': image.manifestDigest,
        'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600',
      }).end();
      return true;
    });
    const ok = await analyze([`${limited.host}/app:1`]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe(`strata: ${limited.host}: 76 of 100 pulls left per 6 h\n`);
    const tampered = await registry((req, res) => {
      if (req.method !== 'GET' || !req.url?.includes('/manifests/')) return false;
      const bytes = Buffer.concat([image.manifest, Buffer.from(' ')]);
      res.writeHead(200, { 'content-type': MANIFEST, 'content-length': bytes.byteLength }).end(bytes);
      return true;
    });
    const bad = await analyze([`${tampered.host}/app:1`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^strata: manifest ${image.manifestDigest} of ${tampered.host}/app hashes to sha256:[0-9a-f]{64}: the registry \\(or something between us\\) served other bytes than the digest names\\n$`));
  }, 60_000);
});
