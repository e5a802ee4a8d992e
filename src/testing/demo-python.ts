// The demo's Python layers: the interpreter under /usr/local (as the official python images lay it
// out) and a `pip install` layer whose site-packages carry real-shaped *.dist-info directories:
// METADATA (Name, Version) and RECORD (path, sha256 as urlsafe base64 without padding, size), as
// PyPA's "Recording installed projects" specifies.

import { createHash } from 'node:crypto';
import { APACHE_LICENSE_TEXT, LIBGFORTRAN } from './demo-base';
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

function requestsFiles(version: string): FileSpec[] {
  return distribution('requests', version, [
    { path: 'requests/__init__.py', content: pySource(`requests ${version}`, 40) },
    { path: 'requests/__version__.py', content: `__title__ = "requests"\n__version__ = "${version}"\n` },
    { path: 'requests/api.py', content: pySource(`requests.api ${version}`, 90) },
    { path: 'requests/sessions.py', content: pySource(`requests.sessions ${version}`, 240) },
    { path: `requests-${version}.dist-info/LICENSE`, content: APACHE_LICENSE_TEXT },
  ], 'Python HTTP for Humans.', ['certifi>=2017.4.17', 'charset-normalizer<4,>=2', 'idna<4,>=2.5', 'urllib3<3,>=1.21.1']);
}

function numpyFiles(): FileSpec[] {
  return distribution('numpy', '1.26.4', [
    { path: 'numpy/__init__.py', content: pySource('numpy', 120) },
    { path: 'numpy/version.py', content: 'version = "1.26.4"\n' },
    so('numpy/core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so', 300, 601),
    so('numpy/linalg/_umath_linalg.cpython-312-x86_64-linux-gnu.so', 48, 602),
    so('numpy.libs/libopenblas64_p-r0-0cf96a72.3.23.dev.so', 220, 603),
    // The wheel vendors its own libgfortran: byte-identical to the base image's copy.
    { path: 'numpy.libs/libgfortran-040039e1.so.5.0.0', content: LIBGFORTRAN, mode: 0o755 },
    so('numpy.libs/libquadmath-96973f99.so.0.0.0', 16, 604),
    { path: '../../../bin/f2py', content: '#!/usr/local/bin/python3.12\nfrom numpy.f2py.f2py2e import main\nmain()\n', mode: 0o755 },
  ], 'Fundamental package for array computing in Python');
}

function certifiFiles(): FileSpec[] {
  const pem = Array.from({ length: 60 }, (_, i) =>
    `# Demo CA ${i + 1}\n-----BEGIN CERTIFICATE-----\n${Buffer.from(noise(480, 700 + i)).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`,
  ).join('\n');
  return distribution('certifi', '2024.2.2', [
    { path: 'certifi/__init__.py', content: 'from .core import contents, where\n\n__version__ = "2024.02.02"\n' },
    { path: 'certifi/core.py', content: pySource('certifi.core', 40) },
    { path: 'certifi/cacert.pem', content: pem },
  ], 'Python package for providing Mozilla\'s CA Bundle.');
}

function pipCache(requestsVersion: string): FileSpec[] {
  const c = 'root/.cache/pip';
  return [
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: `${c}/http-v2/a/3/f/1/c/a3f1c9e0d2b8`, content: noise(90 * 1024, 801) },
    { path: `${c}/http-v2/a/3/f/1/c/a3f1c9e0d2b8.body`, content: noise(60 * 1024, 802) },
    { path: `${c}/http-v2/7/e/0/2/b/7e02b4d91c55.body`, content: noise(40 * 1024, requestsVersion === '2.31.0' ? 803 : 804) },
    { path: `${c}/selfcheck/2f8a1b.json`, content: '{"key":"/usr/local","last_check":"2024-05-01T12:00:00Z","pypi_version":"24.0"}' },
  ];
}

/** `pip install`: requests (the version the demo bumps between v1 and v2), numpy, certifi, and the
 *  pip cache it leaves in /root/.cache (removed by a later layer, so its bytes are still shipped). */
export function pipInstallLayer(requestsVersion: string): LayerSpec {
  return {
    createdBy: `RUN /bin/sh -c pip install requests==${requestsVersion} numpy==1.26.4 certifi==2024.2.2 # buildkit`,
    comment: BUILDKIT,
    files: [...requestsFiles(requestsVersion), ...numpyFiles(), ...certifiFiles(), ...pipCache(requestsVersion)],
  };
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

/** `python -m compileall`: __pycache__/<module>.cpython-312.pyc beside each given source file. */
export function compileallLayer(sources: FileSpec[], createdBy: string): LayerSpec {
  const files = sources.map((f) => {
    const slash = f.path.lastIndexOf('/');
    const dir = f.path.slice(0, slash);
    const mod = f.path.slice(slash + 1).replace(/\.py$/, '');
    return { path: `${dir}/__pycache__/${mod}.cpython-312.pyc`, content: pycBytes(String(f.content ?? '')) };
  });
  return { createdBy, comment: BUILDKIT, files };
}

export function requestsSources(version: string): FileSpec[] {
  return requestsFiles(version).filter((f) => f.path.startsWith(`${SITE}/requests/`) && f.path.endsWith('.py'));
}
