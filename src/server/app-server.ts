// The HTTP server: a tiny prefix router so routes such as a registry proxy (`/registry/...`) can be
// added beside the static files without a framework.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './security-headers';
import { createStaticHandler } from './static-files';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, urlPath: string) => void | Promise<void>;

export interface Route {
  /** Path prefix, e.g. '/registry/'. The first matching route wins; static files come last. */
  prefix: string;
  handler: RouteHandler;
}

export interface AppServerOptions {
  root: string;
  routes?: Route[];
}

export function createAppServer({ root, routes = [] }: AppServerOptions): Server {
  const serveStatic = createStaticHandler(root);
  return createServer((req, res) => {
    // Every response, routes included, carries the policy and its companions (security-headers.ts).
    // The app needs no cross-origin isolation (no SharedArrayBuffer), so COOP without COEP.
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    let urlPath: string;
    try {
      urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const route = routes.find((r) => urlPath.startsWith(r.prefix));
    const handler = route ? route.handler : serveStatic;
    Promise.resolve(handler(req, res, urlPath)).catch((err: unknown) => {
      console.error(err);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
    });
  });
}

/** Listens on `port` (0 = any free port) on 127.0.0.1 and resolves with the port in use. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
