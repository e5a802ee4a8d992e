// Serves the built app from one directory. Path traversal safe: every request path is decoded,
// normalised and must resolve inside the root; anything else is 404 (never 403, to leak nothing).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.tar': 'application/x-tar',
  '.gz': 'application/gzip',
  '.woff2': 'font/woff2',
};

export function mimeTypeOf(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Maps a URL path to a file inside `root`, or null if it would escape it or is malformed. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = path.posix.normalize('/' + decoded.replace(/\\/g, '/')).replace(/^\/+/, '');
  const full = path.resolve(root, rel);
  const rootResolved = path.resolve(root);
  if (full !== rootResolved && !full.startsWith(rootResolved + path.sep)) return null;
  return full;
}

async function fileAt(p: string): Promise<{ path: string; size: number; mtime: Date } | null> {
  try {
    const s = await stat(p);
    if (s.isDirectory()) return fileAt(path.join(p, 'index.html'));
    if (!s.isFile()) return null;
    return { path: p, size: s.size, mtime: s.mtime };
  } catch {
    return null;
  }
}

export function createStaticHandler(root: string) {
  return async function serveStatic(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const target = resolveInside(root, urlPath);
    let file = target ? await fileAt(target) : null;
    // Client-side routes fall back to the app shell; asset-looking paths do not.
    if (!file && target && !path.extname(urlPath)) file = await fileAt(path.join(root, 'index.html'));
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const immutable = /\/assets\//.test(urlPath);
    res.writeHead(200, {
      'Content-Type': mimeTypeOf(file.path),
      'Content-Length': String(file.size),
      'Last-Modified': file.mtime.toUTCString(),
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
  };
}
