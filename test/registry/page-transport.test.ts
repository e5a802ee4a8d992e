// What the page's registry transport sends to our server, recorded by a server of our own: the
// proxy path, the page headers, credentials only for the host they were typed for, never an
// Authorization header; and the proxy's JSON errors back as the RegistryError they name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/core/registry';
import { startHostile, type Hostile } from '../../src/server/registry-proxy-hostile';
import { createProxyTransport } from '../../src/workers/registry-transport';

let server: Hostile;
beforeAll(async () => {
  server = await startHostile((req, res) => {
    if (req.url?.includes('/manifests/missing')) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-strata-proxy-error': 'not-found' })
        .end(JSON.stringify({ error: { code: 'not-found', message: 'registry.example.com has no org/app:missing: check the repository name and the tag' } }));
    } else if (req.url?.includes('/manifests/blocked')) {
      res.writeHead(403, { 'x-strata-proxy-error': 'blocked', 'x-strata-proxy-error-message': encodeURIComponent('the proxy refused: registry 10.0.0.1 refused') }).end();
    } else res.writeHead(200).end('{}');
  });
});
afterAll(() => server.close());

describe('the page transport', () => {
  it('asks our server for /registry/<host>/v2/..., with the page headers and the typed credentials only for their host', async () => {
    const fetch = createProxyTransport({
      session: 'page-session-1234567',
      base: `http://${server.host}/`,
      credentials: (host) => (host === 'registry.example.com' ? { username: 'ann', password: 'tök3n' } : undefined),
    });
    await fetch('https://registry.example.com/v2/org/app/manifests/1', { method: 'GET', headers: { accept: 'application/json', authorization: 'Bearer leaked' } });
    await fetch('http://127.0.0.1:5000/v2/org/app/blobs/sha256:00', { method: 'GET', headers: { range: 'bytes=0-9' } });
    const [a, b] = server.seen;
    expect(a!.url).toBe('/registry/registry.example.com/v2/org/app/manifests/1');
    expect(a!.headers).toMatchObject({ 'x-strata-proxy': '1', 'x-strata-session': 'page-session-1234567', accept: 'application/json' });
    expect(a!.headers['x-strata-credentials']).toBe(`Basic ${Buffer.from('ann:tök3n').toString('base64')}`);
    expect(a!.headers.authorization).toBeUndefined();
    expect(b!.url).toBe('/registry/127.0.0.1:5000/v2/org/app/blobs/sha256:00');
    expect([b!.headers['x-strata-credentials'], b!.headers.range]).toEqual([undefined, 'bytes=0-9']);
  });

  it('turns the proxy\'s errors into the RegistryError they name, from the body or (for HEAD) the header', async () => {
    const fetch = createProxyTransport({ session: 'page-session-1234567', base: `http://${server.host}/` });
    await expect(fetch('https://registry.example.com/v2/org/app/manifests/missing', { method: 'GET', headers: {} })).rejects.toMatchObject({
      code: 'not-found', message: 'registry.example.com has no org/app:missing: check the repository name and the tag',
    });
    const blocked = await fetch('https://registry.example.com/v2/org/app/manifests/blocked', { method: 'HEAD', headers: {} }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(RegistryError);
    expect(blocked).toMatchObject({ code: 'unreachable', message: 'the proxy refused: registry 10.0.0.1 refused' });
    await expect(fetch('https://auth.example.com/token?scope=x', { method: 'GET', headers: {} })).rejects.toThrow(/only the registry API/);
  });
});
