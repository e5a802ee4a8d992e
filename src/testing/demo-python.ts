// The demo's Python pieces: the interpreter under /usr/local (as the official python images lay it
// out), and `distribution()`, which gives a package real-shaped *.dist-info files for the ML demo's
// pip layer (demo-ml-layers.ts): METADATA (Name, Version) and RECORD (path, sha256 as urlsafe
// base64 without padding, size), as PyPA's "Recording installed projects" specifies.

import { createHash } from 'node:crypto';
import type { LayerSpec } from './layer';
import { fileBytes, noise, type FileSpec } from './tar-writer';

export const PY = 'usr/local/lib/python3.12';
export const SITE = `${PY}/site-packages`;
const BUILDKIT = 'buildkit.dockerfile.v0';

/** Plausible Python source of about `lines` lines; deterministic in `name`. */
export function pySource(name: string, lines: number): string {
  const out = [`"""${name}: generated for the Strata demo image."""`, '', 'import os', ''];
  for (let i = 0; out.length < lines; i++) {
    out.push(`def ${name.replace(/\W/g, '_')}_${i}(value, scale=${i + 1}):`, `    return os.fspath(value) * scale`, '');
  }
  return `${out.join('\n')}\n`;
}

const so = (path: string, kib: number, seed: number): FileSpec => ({ path, content: noise(kib * 1024, seed), mode: 0o755 });

export function pythonRuntimeLayer(): LayerSpec {
  const dyn = `${PY}/lib-dynload`;
  return {
    createdBy: 'RUN /bin/sh -c set -eux; wget -O python.tar.xz "https://www.python.org/ftp/python/3.12.3/Python-3.12.3.tar.xz"; ./configure --enable-shared; make -j "$(nproc)"; make install # buildkit',
    comment: BUILDKIT,
    files: [
      so('usr/local/bin/python3.12', 16, 501),
      { path: 'usr/local/bin/python3', type: 'symlink', linkname: 'python3.12' },
      { path: 'usr/local/bin/python', type: 'symlink', linkname: 'python3' },
      { path: 'usr/local/bin/pip', content: '#!/usr/local/bin/python3.12\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n', mode: 0o755 },
      so('usr/local/lib/libpython3.12.so.1.0', 380, 502),
      { path: 'usr/local/lib/libpython3.12.so', type: 'symlink', linkname: 'libpython3.12.so.1.0' },
      { path: `${PY}/os.py`, content: pySource('os', 120) },
      { path: `${PY}/json/__init__.py`, content: pySource('json', 60) },
      { path: `${PY}/json/decoder.py`, content: pySource('json.decoder', 80) },
      { path: `${PY}/http/client.py`, content: pySource('http.client', 160) },
      so(`${dyn}/_ssl.cpython-312-x86_64-linux-gnu.so`, 36, 503),
      so(`${dyn}/_sqlite3.cpython-312-x86_64-linux-gnu.so`, 24, 504),
      so(`${dyn}/zlib.cpython-312-x86_64-linux-gnu.so`, 12, 505),
      ...distribution('pip', '24.0', [
        { path: 'pip/__init__.py', content: pySource('pip', 20) },
        { path: 'pip/_internal/cli/main.py', content: pySource('pip._internal.cli.main', 70) },
      ], 'The PyPA recommended tool for installing Python packages.'),
    ],
  };
}

function recordHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/** A package's files under site-packages plus its `<name>-<version>.dist-info/`. `files` paths are
 *  relative to site-packages; '../../../bin/x' entries land in usr/local/bin, as pip puts scripts. */
export function distribution(name: string, version: string, files: FileSpec[], summary: string, requires: string[] = []): FileSpec[] {
  const info = `${name}-${version}.dist-info`;
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${name}`,
    `Version: ${version}`,
    `Summary: ${summary}`,
    ...requires.map((r) => `Requires-Dist: ${r}`),
    '',
  ].join('\n');
  const all: FileSpec[] = [
    ...files,
    { path: `${info}/INSTALLER`, content: 'pip\n' },
    { path: `${info}/METADATA`, content: metadata },
    { path: `${info}/WHEEL`, content: 'Wheel-Version: 1.0\nGenerator: bdist_wheel (0.43.0)\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
  ];
  const record = all.map((f) => {
    const bytes = fileBytes(f);
    return `${f.path},sha256=${recordHash(bytes)},${bytes.byteLength}`;
  });
  record.push(`${info}/RECORD,,`);
  all.push({ path: `${info}/RECORD`, content: `${record.join('\n')}\n` });
  return all.map((f) => ({ ...f, path: resolveSitePath(f.path) }));
}

function resolveSitePath(rel: string): string {
  const parts = SITE.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/** Bytes shaped like a .pyc (PEP 552 header: magic for 3.12, flags, mtime, size), then noise. */
export function pycBytes(source: string): Uint8Array {
  const seed = createHash('sha256').update(source).digest().readInt32LE(0);
  const body = noise(Math.max(64, Math.round(source.length * 0.7)), seed);
  const out = new Uint8Array(16 + body.byteLength);
  out.set([0xcb, 0x0d, 0x0d, 0x0a], 0);
  out.set(body, 16);
  return out;
}
