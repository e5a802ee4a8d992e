// A small HTTP server of our own on a loopback port, for what no real registry shows on demand: a
// manifest whose bytes do not match its digest, a blob longer than its descriptor, a redirect to
// storage on another origin, a presigned URL that expired, a 429 with Docker Hub's headers.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest { method: string; path: string; headers: IncomingHttpHeaders }

export interface TinyServer {
  host: string;
  seen: SeenRequest[];
  stop(): Promise<void>;
}

export async function startTinyServer(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<TinyServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    seen,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
