// The registry proxy's rules, each against a hostile server of our own on loopback (no real
// registry sends a realm at the metadata address or a manifest that lies about its digest).
import { request, type IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  allowing, closeAll, config, hostile, image, json, layer, MANIFEST_TYPE, pageRequest, proxyWith, registry, sha256, startHostile, type Hostile,
} from './registry-proxy-hostile';

afterEach(closeAll);

describe('the proxy serves only our own page', () => {
  let upstream: Hostile;
  let port: number;
  beforeAll(async () => {
    upstream = await startHostile(registry());
  });
  afterAll(() => upstream.close());
  beforeEach(() => { upstream.seen.length = 0; });

  it('refuses a request without X-Strata-Proxy, from another Origin or site, or under another Host', async () => {
    port = await proxyWith({ allow: allowing(upstream) });
    const p = `/registry/${upstream.host}/v2/team/app/manifests/v1`;
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ 'x-strata-proxy': undefined }, /X-Strata-Proxy/],
      [{ 'x-strata-proxy': '0' }, /X-Strata-Proxy/],
      [{ origin: 'http://evil.example.com' }, /other origins/],
      [{ origin: `http://localhost:${port}` }, /other origins/],
      [{ 'sec-fetch-site': 'cross-site' }, /cross-site/],
      // DNS rebinding: a hostile name resolved to 127.0.0.1 arrives with its own name as Host.
      [{ host: `rebind.example.com:${port}`, origin: `http://rebind.example.com:${port}` }, /Host header/],
      [{ host: `127.0.0.1:${port + 1}` }, /Host header/],
    ];
    for (const [headers, message] of cases) {
      const res = await pageRequest(port, p, { headers });
      expect([headers, res.status]).toEqual([headers, 403]);
      expect(json(res.body).error.message).toMatch(message);
    }
    expect(upstream.seen).toEqual([]);
    const ok = await pageRequest(port, p, { headers: { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' } });
    expect(ok.status).toBe(200);
    const viaLocalhost = await pageRequest(port, p, { headers: { host: `localhost:${port}` } });
    expect(viaLocalhost.status).toBe(200);
  });

  it('refuses the preflight with 403 and no CORS headers, and every method but GET and HEAD', async () => {
    port = await proxyWith({ allow: allowing(upstream) });
    const p = `/registry/${upstream.host}/v2/team/app/manifests/v1`;
    const preflight = await pageRequest(port, p, { method: 'OPTIONS', headers: { origin: 'http://evil.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-strata-proxy' } });
    expect(preflight.status).toBe(403);
    expect(Object.keys(preflight.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await pageRequest(port, p, { method });
      expect([method, res.status, json(res.body).error.code]).toEqual([method, 405, 'method-not-allowed']);
    }
    expect(upstream.seen).toEqual([]);
  });

  it('refuses every path outside the read API, unparsed parts never reaching the registry', async () => {
    port = await proxyWith({ allow: allowing(upstream) });
    const h = upstream.host;
    for (const p of [
      `/registry/${h}/v2/_catalog`,
      `/registry/${h}/v2/team/app/blobs/uploads/`,
      `/registry/${h}/v2/team/app/manifests/v1/../../../x`,
      `/registry/${h}/v2/team/app/manifests/%2e%2e`,
      `/registry/${h}/v2/team//app/manifests/v1`,
      `/registry/${h}/v2/Team/app/manifests/v1`,
      `/registry/${h}/v2/team/app/manifests/-bad`,
      `/registry/${h}/v2/team/app/blobs/sha256:abc`,
      `/registry/${h}/v2/team/app/blobs/md5:${'a'.repeat(32)}`,
      `/registry/${h}/v2/team/app/manifests/v1?n=1`,
      `/registry/${h}/v2/team/app/tags/list?cb=${'x'.repeat(5)}`,
      `/registry/${h}/v1/search`,
      `/registry/${h}/`,
      `/registry/user:pw@${h}/v2/`,
      `/registry/${h.replace(':', ':x')}/v2/`,
    ]) {
      const res = await pageRequest(port, p);
      expect([p, res.status, json(res.body).error.code]).toEqual([p, 400, 'bad-request']);
    }
    expect(upstream.seen).toEqual([]);
  });
});

describe('the proxy reads through', () => {
  it('resolves a tag, serves the verified manifest, the config and the layer (ranges too) with safe headers', async () => {
    const up = await hostile(registry());
    const port = await proxyWith({ allow: allowing(up) });
    const base = `/registry/${up.host}/v2/team/app`;
    expect((await pageRequest(port, `/registry/${up.host}/v2/`)).status).toBe(200);
    const head = await pageRequest(port, `${base}/manifests/v1`, { method: 'HEAD' });
    expect([head.status, head.headers['docker-content-digest'], head.headers['content-length']]).toEqual([200, image.digest, String(image.bytes.length)]);
    const m = await pageRequest(port, `${base}/manifests/v1`);
    expect(m.status).toBe(200);
    expect(m.body.equals(image.bytes)).toBe(true);
    expect(m.headers['content-type']).toBe(MANIFEST_TYPE);
    const c = await pageRequest(port, `${base}/blobs/${sha256(config)}`);
    expect(c.body.toString()).toBe(config.toString());
    const l = await pageRequest(port, `${base}/blobs/${sha256(layer)}`);
    expect([l.status, l.body.length, l.headers['content-type'], l.headers['x-content-type-options']]).toEqual([200, 12000, 'application/octet-stream', 'nosniff']);
    const r = await pageRequest(port, `${base}/blobs/${sha256(layer)}`, { headers: { range: 'bytes=12-23' } });
    expect([r.status, r.body.toString(), r.headers['content-range']]).toEqual([206, 'layer bytes ', 'bytes 12-23/12000']);
  });

  it('strips Set-Cookie and hop-by-hop headers, never sends a cookie upstream, serves HTML as bytes', async () => {
    const up = await hostile(registry((req, res) => {
      res.setHeader('set-cookie', ['session=stolen; Path=/', 'other=1']);
      res.setHeader('connection', 'keep-alive, x-hop');
      res.setHeader('x-hop', 'connection-scoped');
      res.setHeader('keep-alive', 'timeout=5');
      if (req.url?.includes('/blobs/')) res.setHeader('content-type', 'text/html');
    }));
    const port = await proxyWith({ allow: allowing(up) });
    const m = await pageRequest(port, `/registry/${up.host}/v2/team/app/manifests/v1`, { headers: { cookie: 'mine=secret' } });
    const b = await pageRequest(port, `/registry/${up.host}/v2/team/app/blobs/${sha256(layer)}`);
    for (const res of [m, b]) {
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['x-hop']).toBeUndefined();
    }
    expect(b.headers['content-type']).toBe('application/octet-stream');
    expect(b.headers['content-security-policy']).toContain('sandbox');
    expect(up.seen.map((s) => s.headers.cookie)).toEqual(up.seen.map(() => undefined));
  });

  it('serves a blob only at the size the manifest gave it, and only after that manifest', async () => {
    const longer = Buffer.concat([layer, Buffer.from('extra bytes the descriptor does not count')]);
    const up = await hostile(registry((req, res) => {
      if (req.url === `/v2/team/app/blobs/${sha256(layer)}`) res.writeHead(200).end(longer);
    }));
    const port = await proxyWith({ allow: allowing(up) });
    const before = await pageRequest(port, `/registry/${up.host}/v2/team/app/blobs/${sha256(layer)}`);
    expect([before.status, json(before.body).error.code]).toEqual([404, 'not-found']);
    await pageRequest(port, `/registry/${up.host}/v2/team/app/manifests/v1`);
    const res = await pageRequest(port, `/registry/${up.host}/v2/team/app/blobs/${sha256(layer)}`);
    expect(res.aborted || res.status !== 200).toBe(true);
    expect(res.body.length).toBeLessThanOrEqual(layer.length);
  });

  it('streams a blob with backpressure: a page that reads nothing holds the registry to a few MiB of a 256 MiB blob', async () => {
    const size = 256 * 1024 * 1024;
    const big = { digest: `sha256:${'ab'.repeat(32)}`, size };
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPE, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...big, digest: sha256(config), size: config.length }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...big }] }));
    let accepted = 0;
    const chunk = Buffer.alloc(64 * 1024, 7);
    const up = await hostile(async (req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}');
      if (req.url?.includes('/manifests/')) {
        return void res.writeHead(200, { 'content-type': MANIFEST_TYPE, 'docker-content-digest': sha256(manifest), 'content-length': String(manifest.length) }).end(req.method === 'HEAD' ? undefined : manifest);
      }
      res.writeHead(200, { 'content-length': String(size) });
      while (accepted < size && !res.destroyed) {
        accepted += chunk.length;
        if (!res.write(chunk)) await new Promise((go) => { res.once('drain', go); res.once('close', go); });
      }
      res.end();
    });
    const port = await proxyWith({ allow: allowing(up) });
    const m = await pageRequest(port, `/registry/${up.host}/v2/team/app/manifests/v1`);
    expect([m.status, m.body.toString().slice(0, 200)]).toEqual([200, manifest.toString().slice(0, 200)]);
    const req = request({ host: '127.0.0.1', port, path: `/registry/${up.host}/v2/team/app/blobs/${big.digest}`, headers: { host: `127.0.0.1:${port}`, 'x-strata-proxy': '1', 'x-strata-session': 'test-session-0000001' } });
    const answered = new Promise<IncomingMessage>((go) => req.on('response', go));
    req.end();
    const res = await answered;
    res.pause();
    // Wait until the registry stops being able to write: every buffer on the way is full.
    let last = -1;
    while (accepted !== last) {
      last = accepted;
      await new Promise((go) => setTimeout(go, 300));
    }
    expect(res.statusCode).toBe(200);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(32 * 1024 * 1024);
    req.destroy();
  });
});
