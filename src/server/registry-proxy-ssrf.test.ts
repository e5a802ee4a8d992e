// No request to an address the user did not choose, no credential to a host it was not typed for:
// token realms, redirects and names that resolve where they should not, against hostile servers of
// our own on loopback. DNS is injected (a resolver of our own), so nothing depends on the internet.
import { afterEach, describe, expect, it } from 'vitest';
import { AllowList } from './hop-policy';
import {
  allowing, basic, closeAll, config, hostile, image, json, layer, pageRequest, proxyWith, registry, sha256,
} from './registry-proxy-hostile';
import type { Resolve } from './safe-fetch';

afterEach(closeAll);

/** A resolver that knows only the names given (a hosts file of our own). */
const hosts = (table: Record<string, string[]>): Resolve => async (name) => {
  const found = table[name];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const manifestPath = (host: string) => `/registry/${host}/v2/team/app/manifests/v1`;

describe('token realms', () => {
  it('never fetches a token from the metadata address, however the realm spells it', async () => {
    let realm = '';
    const up = await hostile(registry((req, res) => {
      if (req.url?.startsWith('/v2/')) res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="x",scope="repository:team/app:pull"` }).end();
    }));
    const port = await proxyWith({
      allow: AllowList.parse([`http://${up.host}`, '169.254.169.254']),
      resolve: hosts({ 'metadata.example.com': ['169.254.169.254'], 'mapped.example.com': ['::ffff:169.254.169.254'] }),
    });
    for (const r of ['http://169.254.169.254/latest/meta-data/', 'https://169.254.169.254/token', 'https://[::ffff:a9fe:a9fe]/token',
      'https://2852039166/token', 'https://metadata.example.com/token', 'https://mapped.example.com/token']) {
      realm = r;
      const res = await pageRequest(port, manifestPath(up.host), { headers: { 'x-strata-session': `realm-session-${r.length}-${r.charCodeAt(10)}-x` } });
      expect([r, res.status, json(res.body).error.code]).toEqual([r, 403, 'blocked']);
      expect(json(res.body).error.message).toMatch(/link-local|metadata/);
    }
  });

  it('refuses a realm with userinfo, or on a loopback host or port the operator did not allow', async () => {
    let realm = '';
    const up = await hostile(registry((req, res) => {
      if (req.url?.startsWith('/v2/')) res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="x"` }).end();
    }));
    const issuer = await hostile((_req, res) => void res.writeHead(200).end('{"token":"t"}'));
    const port = await proxyWith({ allow: allowing(up) });
    const cases: [string, number, RegExp][] = [
      // The client refuses userinfo itself, before asking the proxy's policy.
      [`https://user:pw@${issuer.host}/token`, 502, /names credentials in its URL/],
      [`http://${issuer.host}/token`, 403, /--allow-registry 127\.0\.0\.1:\d+ to allow it/],
      [`https://localhost:${issuer.port}/token`, 403, /--allow-registry localhost:\d+ to allow it/],
    ];
    for (const [r, status, message] of cases) {
      realm = r;
      const res = await pageRequest(port, manifestPath(up.host), { headers: { 'x-strata-session': `userinfo-session-${cases.findIndex((c) => c[0] === r)}` } });
      expect([r, res.status]).toEqual([r, status]);
      expect(json(res.body).error.message).toMatch(message);
    }
    expect(issuer.connections).toBe(0);
  });

  it('caps a token answer: a realm sending a megabyte is not a token service', async () => {
    const issuer = await hostile((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(`{"token":"${'t'.repeat(300 * 1024)}"}`));
    const up = await hostile(registry((req, res) => {
      if (req.url?.startsWith('/v2/') && !req.headers.authorization) res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${issuer.host}/token"` }).end();
    }));
    const port = await proxyWith({ allow: allowing(up, issuer) });
    const res = await pageRequest(port, manifestPath(up.host));
    expect([res.status, json(res.body).error.code]).toEqual([502, 'too-large']);
  });
});

describe('redirects', () => {
  it('stops a redirect chain that ends in a private address', async () => {
    let target = '';
    const up = await hostile(registry((req, res) => {
      if (req.url === `/v2/team/app/blobs/${sha256(layer)}`) res.writeHead(302, { location: '/hop/1' }).end();
      else if (req.url === '/hop/1') res.writeHead(307, { location: '/hop/2' }).end();
      else if (req.url === '/hop/2') res.writeHead(302, { location: target }).end();
    }));
    const inner = await hostile((_req, res) => void res.writeHead(200).end(layer));
    const port = await proxyWith({ allow: allowing(up), resolve: hosts({ 'storage.example.com': ['10.1.2.3'], 'rebound.example.com': ['127.0.0.1'] }) });
    await pageRequest(port, manifestPath(up.host));
    for (const t of ['http://192.168.0.10/blob', `http://${inner.host}/blob`, 'https://storage.example.com/blob', `https://rebound.example.com:${inner.port}/blob`, 'https://[fd00::1]/blob', 'http://169.254.169.254/']) {
      target = t;
      const res = await pageRequest(port, `/registry/${up.host}/v2/team/app/blobs/${sha256(layer)}`);
      expect([t, res.status, json(res.body).error.code]).toEqual([t, 403, 'blocked']);
    }
    expect(inner.connections).toBe(0);
    expect(up.seen.filter((s) => s.url === '/hop/2').length).toBe(6);
  });

  it('sends no Authorization and no cookie to a redirect target on another host, and the blob still arrives', async () => {
    const storage = await hostile((_req, res) => void res.writeHead(200, { 'content-length': String(layer.length) }).end(layer));
    const up = await hostile(registry((req, res) => {
      if (req.headers.authorization !== basic('alice', 's3cret-pass')) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end();
      } else if (req.url === `/v2/team/app/blobs/${sha256(layer)}`) {
        res.writeHead(307, { location: `http://${storage.host}/signed/blob?X-Signature=abc`, 'set-cookie': 'registry=1' }).end();
      }
    }));
    const port = await proxyWith({ allow: allowing(up, storage) });
    const withCreds = { 'x-strata-credentials': basic('alice', 's3cret-pass'), cookie: 'page=1' };
    expect((await pageRequest(port, manifestPath(up.host), { headers: withCreds })).status).toBe(200);
    const blob = await pageRequest(port, `/registry/${up.host}/v2/team/app/blobs/${sha256(layer)}`, { headers: withCreds });
    expect([blob.status, blob.body.length]).toEqual([200, layer.length]);
    expect(up.seen.some((s) => s.headers.authorization === basic('alice', 's3cret-pass'))).toBe(true);
    expect(storage.seen.map((s) => [s.url, s.headers.authorization, s.headers.cookie])).toEqual([['/signed/blob?X-Signature=abc', undefined, undefined]]);

    // The same page naming the storage host as a registry: the credentials typed for the
    // registry are not sent there either.
    await pageRequest(port, `/registry/${storage.host}/v2/`);
    await pageRequest(port, `/registry/${storage.host}/v2/team/app/manifests/v1`);
    expect(storage.seen.every((s) => s.headers.authorization === undefined)).toBe(true);
  });
});

describe('names and addresses', () => {
  it('refuses a name that resolves to loopback when the operator did not allow it, before connecting', async () => {
    const up = await hostile(registry());
    const port = await proxyWith({
      allow: allowing(up),
      resolve: hosts({ 'registry.example.com': ['127.0.0.1'], 'split.example.com': ['93.184.215.14', '127.0.0.1'], 'v6.example.com': ['::1'] }),
    });
    for (const name of ['registry.example.com', 'split.example.com', 'v6.example.com', 'localhost', '127.0.0.2', '[::1]']) {
      const res = await pageRequest(port, manifestPath(`${name}:${up.port}`));
      expect([name, res.status, json(res.body).error.code]).toEqual([name, 403, 'blocked']);
      expect(json(res.body).error.message).toMatch(/loopback/);
    }
    expect(up.connections).toBe(0);
  });

  it('reaches an allowed loopback registry, and says which flag allows one that is not', async () => {
    const up = await hostile(registry());
    const other = await hostile(registry());
    const port = await proxyWith({ allow: allowing(up) });
    expect((await pageRequest(port, manifestPath(up.host))).status).toBe(200);
    const res = await pageRequest(port, manifestPath(other.host));
    expect(json(res.body).error.message).toContain(`--allow-registry ${other.host}`);
    expect(other.connections).toBe(0);
  });
});

describe('what the registry sends back', () => {
  it('refuses a manifest over 4 MiB, declared or streamed', async () => {
    const huge = Buffer.alloc(5 * 1024 * 1024, 0x20);
    let declare = true;
    const up = await hostile(registry((req, res) => {
      if (req.url?.startsWith('/v2/team/app/manifests/')) {
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256(huge), ...(declare ? { 'content-length': String(huge.length) } : {}) });
        res.end(req.method === 'HEAD' ? undefined : huge);
      }
    }));
    const port = await proxyWith({ allow: allowing(up) });
    for (const d of [true, false]) {
      declare = d;
      const res = await pageRequest(port, `/registry/${up.host}/v2/team/app/manifests/${sha256(huge)}`);
      expect([d, res.status, json(res.body).error.code]).toEqual([d, 502, 'too-large']);
    }
  });

  it('refuses a manifest whose bytes do not match the digest it was asked for', async () => {
    const other = Buffer.from(image.bytes.toString().replace('amd64', 'arm64'));
    const up = await hostile(registry((req, res) => {
      if (req.url === `/v2/team/app/manifests/${image.digest}` && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': image.digest }).end(Buffer.concat([image.bytes, Buffer.from(' ')]));
      }
    }));
    const port = await proxyWith({ allow: allowing(up) });
    for (const ref of ['v1', image.digest]) {
      const res = await pageRequest(port, `/registry/${up.host}/v2/team/app/manifests/${ref}`);
      expect([ref, res.status, json(res.body).error.code]).toEqual([ref, 502, 'digest-mismatch']);
      expect(res.body.includes(other)).toBe(false);
    }
  });

  it('passes a rate limit on with its Retry-After and quota, and the quota of a pull that went through', async () => {
    let limited = true;
    const up = await hostile(registry((req, res) => {
      res.setHeader('ratelimit-limit', '100;w=21600');
      res.setHeader('ratelimit-remaining', limited ? '0;w=21600' : '76;w=21600');
      if (limited && req.url?.includes('/manifests/')) res.writeHead(429, { 'retry-after': '120' }).end('{"errors":[{"code":"TOOMANYREQUESTS"}]}');
    }));
    const port = await proxyWith({ allow: allowing(up) });
    const res = await pageRequest(port, manifestPath(up.host));
    expect([res.status, res.headers['retry-after'], res.headers['ratelimit-remaining']]).toEqual([429, '120', '0;w=21600']);
    expect(json(res.body).error).toMatchObject({ code: 'rate-limited', retryAfter: 120, rateLimit: { limit: 100, remaining: 0, windowSeconds: 21600 } });
    limited = false;
    const ok = await pageRequest(port, manifestPath(up.host), { method: 'HEAD' });
    expect([ok.status, ok.headers['ratelimit-limit'], ok.headers['ratelimit-remaining']]).toEqual([200, '100;w=21600', '76;w=21600']);
  });

  it('says 401 for credentials, never echoing them, and loads once they are right', async () => {
    const up = await hostile(registry((req, res) => {
      if (req.headers.authorization !== basic('bob', 'right-horse')) res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
    }));
    const port = await proxyWith({ allow: allowing(up) });
    const anonymous = await pageRequest(port, manifestPath(up.host));
    expect([anonymous.status, json(anonymous.body).error.code]).toEqual([401, 'unauthorized']);
    const wrong = await pageRequest(port, manifestPath(up.host), { headers: { 'x-strata-credentials': basic('bob', 'wrong-battery') } });
    expect([wrong.status, json(wrong.body).error.code]).toEqual([401, 'unauthorized']);
    expect(wrong.body.toString()).not.toMatch(/wrong-battery|d3JvbmctYmF0dGVyeQ/);
    expect(Object.values(wrong.headers).join(' ')).not.toContain('wrong-battery');
    const right = await pageRequest(port, manifestPath(up.host), { headers: { 'x-strata-credentials': basic('bob', 'right-horse') } });
    expect(right.status).toBe(200);
    // Another page (another session) does not inherit them.
    const stranger = await pageRequest(port, manifestPath(up.host), { headers: { 'x-strata-session': 'another-page-000000001' } });
    expect(stranger.status).toBe(401);
  });

  it('times out a registry that never answers, and cuts a blob that stalls', async () => {
    const up = await hostile(registry((req, res) => {
      if (req.url === '/v2/team/app/manifests/silent') return new Promise(() => undefined);
      if (req.url === `/v2/team/app/blobs/${sha256(layer)}`) {
        res.writeHead(200, { 'content-length': String(layer.length) });
        res.write(layer.subarray(0, 100));
        return new Promise(() => undefined);
      }
    }));
    const port = await proxyWith({ allow: allowing(up), timeouts: { firstByteMs: 1500, idleMs: 1500 } });
    const silent = await pageRequest(port, `/registry/${up.host}/v2/team/app/manifests/silent`);
    expect([silent.status, json(silent.body).error.code]).toEqual([504, 'unreachable']);
    expect(json(silent.body).error.message).toMatch(/no answer within 1.5 s/);
    await pageRequest(port, manifestPath(up.host));
    const stalled = await pageRequest(port, `/registry/${up.host}/v2/team/app/blobs/${sha256(layer)}`);
    expect([stalled.status, stalled.aborted, stalled.body.length]).toEqual([200, true, 100]);
  });

  it('keeps one page to its share of upstream requests', async () => {
    const held: (() => void)[] = [];
    const up = await hostile(registry((req, res) => {
      if (req.url === `/v2/team/app/blobs/${sha256(config)}`) return new Promise<void>((go) => held.push(() => { res.writeHead(200).end(config); go(); }));
    }));
    const port = await proxyWith({ allow: allowing(up), limits: { perPage: 2, queue: 1 } });
    await pageRequest(port, manifestPath(up.host));
    const blob = `/registry/${up.host}/v2/team/app/blobs/${sha256(config)}`;
    const sent = [pageRequest(port, blob), pageRequest(port, blob), pageRequest(port, blob)];
    while (held.length < 2) await new Promise((go) => setTimeout(go, 10));
    // Two in flight, one waiting (or about to): a fourth finds the queue full.
    sent.push(pageRequest(port, blob));
    let settled = false;
    let refused = false;
    for (const p of sent) void p.then((r) => { if (r.status === 429) refused = true; });
    const all = Promise.all(sent).finally(() => { settled = true; });
    while (!refused) await new Promise((go) => setTimeout(go, 10));
    while (!settled) {
      while (held.length) held.shift()!();
      await new Promise((go) => setTimeout(go, 10));
    }
    const answers = await all;
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
    expect(json(answers.find((r) => r.status === 429)!.body).error.code).toBe('busy');
    expect(up.maxInFlight).toBe(2);
  });
});
