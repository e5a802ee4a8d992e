import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer, listen } from './app-server';
import { resolveInside } from './static-files';

const root = mkdtempSync(path.join(tmpdir(), 'strata-server-'));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(path.join(root, 'assets', 'a.wasm'), new Uint8Array([0, 97, 115, 109]));
writeFileSync(path.join(root, 'assets', 'b.mjs'), 'export {}');
writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'no');

const server = createAppServer({ root, routes: [{ prefix: '/registry/', handler: (_q, res) => void res.writeHead(501).end() }] });
let port = 0;
beforeAll(async () => { port = await listen(server, 0); });
afterAll(() => { server.close(); });

/** Raw request, so paths like `/../x` reach the server unnormalised. */
function get(p: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: p, method }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the app server', () => {
  it('serves the app with the right MIME types, .wasm and .mjs included', async () => {
    expect((await get('/')).type).toMatch(/^text\/html/);
    expect((await get('/assets/a.wasm')).type).toBe('application/wasm');
    expect((await get('/assets/b.mjs')).type).toMatch(/^text\/javascript/);
  });

  it('never serves a file outside its root', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..\\secret.txt', '/%00']) {
      const res = await get(p);
      expect(res.body).not.toBe('no');
      expect([400, 404, 200]).toContain(res.status);
    }
    expect(resolveInside(root, '/../../etc/passwd')).toBe(path.join(root, 'etc/passwd'));
  });

  it('sends unknown asset paths a 404 and app routes the shell', async () => {
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/some/route')).body).toContain('<title>app</title>');
  });

  it('routes a registered prefix before static files', async () => {
    expect((await get('/registry/v2/')).status).toBe(501);
  });
});
