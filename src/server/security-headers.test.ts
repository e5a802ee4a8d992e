import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer, listen } from './app-server';

const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; "
  + "connect-src 'self' data:; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const root = mkdtempSync(path.join(tmpdir(), 'strata-headers-'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
const server = createAppServer({ root, routes: [{ prefix: '/registry/', handler: (_q, res) => void res.writeHead(501).end() }] });
let port = 0;
beforeAll(async () => { port = await listen(server, 0); });
afterAll(() => { server.close(); });

function headersOf(p: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: p, method }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the security headers', () => {
  it('go with every response: the app, a 404, a HEAD, a 405 and a route', async () => {
    for (const [p, method, status] of [['/', 'GET', 200], ['/assets/missing.js', 'GET', 404], ['/', 'HEAD', 200], ['/', 'POST', 405], ['/registry/v2/', 'GET', 501]] as const) {
      const res = await headersOf(p, method);
      expect(res.status, `${method} ${p}`).toBe(status);
      expect(res.headers, `${method} ${p}`).toMatchObject({
        'content-security-policy': POLICY,
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'x-content-type-options': 'nosniff',
      });
    }
  });
});
