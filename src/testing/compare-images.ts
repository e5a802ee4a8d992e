// Two versions of one image with every difference the compare report names, written out so the
// compare tests can state what a user would see. v1 -> v2:
//
//   #  v1                                   v2                                   relation
//   0  base: dpkg bash + libc6              (same LayerSpec)                     shared
//   1  RUN pip install ...                  requests 2.31.0 -> 2.32.3,           changed (by step)
//        requests 2.31.0, numpy 1.26.4,       numpy removed, six 1.16.0 -> 1.15.0,
//        six 1.16.0                           rich 13.7.1 added
//   2  COPY app /app (mtime T)              same bytes, mtime T + 1 day          same-content
//   -                                       RUN apt-get install curl (inserted)  only-b
//   3  RUN npm ci: express 4.18.2           express 4.21.0                       changed (by step)
//   4  RUN install-legacy (opt/legacy)      -                                    only-a
//   5  RUN ./build.sh --fast                RUN ./build.sh --release             changed (by files)
//        apk musl 1.2.4-r2, busybox 1.36.1-r15 / musl 1.2.5-r0, busybox 1.36.1-r2
//        conda numpy 1.26.4 / 2.0.0; srv/data a directory / a file;
//        tool 0755 / 0700, var/lib/app uid 0 / 1000, bin/app -> app-1 / app-2
//   6  RUN python -m compileall (pyc)       same step, other bytes               changed

import type { ImageSpec } from './image';
import type { LayerSpec } from './layer';
import { FIXED_MTIME, noise, type FileSpec } from './tar-writer';

const SP = 'usr/local/lib/python3.12/site-packages';
const DAY = 86_400;

function dpkgParagraph(name: string, version: string): string {
  return `Package: ${name}\nStatus: install ok installed\nVersion: ${version}\nArchitecture: amd64\n\n`;
}

function pipPackage(name: string, version: string, size: number, seed: number): FileSpec[] {
  const dist = `${SP}/${name}-${version}.dist-info`;
  return [
    { path: `${dist}/METADATA`, content: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n` },
    { path: `${dist}/RECORD`, content: `${name}/__init__.py,sha256=x,${size}\n` },
    { path: `${SP}/${name}/__init__.py`, content: noise(size, seed) },
  ];
}

function npmPackage(name: string, version: string, size: number, seed: number): FileSpec[] {
  return [
    { path: `app/node_modules/${name}/package.json`, content: `{"name":"${name}","version":"${version}"}` },
    { path: `app/node_modules/${name}/index.js`, content: noise(size, seed) },
  ];
}

const baseLayer: LayerSpec = {
  createdBy: '/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef in / ',
  files: [
    { path: 'etc/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
    { path: 'usr/bin/bash', content: noise(12_000, 1) },
    { path: 'usr/lib/x86_64-linux-gnu/libc.so.6', content: noise(20_000, 2) },
    { path: 'var/lib/dpkg/status', content: dpkgParagraph('bash', '5.2.15-2+b7') + dpkgParagraph('libc6', '2.36-9+deb12u7') },
    { path: 'var/lib/dpkg/info/bash.list', content: '/.\n/usr\n/usr/bin\n/usr/bin/bash\n' },
    { path: 'var/lib/dpkg/info/libc6:amd64.list', content: '/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu/libc.so.6\n' },
  ],
};

function pipLayer(v: 1 | 2): LayerSpec {
  const files = v === 1
    ? [...pipPackage('requests', '2.31.0', 3_000, 10), ...pipPackage('numpy', '1.26.4', 50_000, 11), ...pipPackage('six', '1.16.0', 900, 12)]
    : [...pipPackage('requests', '2.32.3', 3_500, 20), ...pipPackage('six', '1.15.0', 800, 22), ...pipPackage('rich', '13.7.1', 7_000, 23)];
  return { createdBy: 'RUN /bin/sh -c pip install -r requirements.txt # buildkit', comment: 'buildkit.dockerfile.v0', files };
}

function appLayer(mtime: number): LayerSpec {
  return {
    createdBy: 'COPY app /app # buildkit',
    comment: 'buildkit.dockerfile.v0',
    files: [
      { path: 'app', type: 'dir', mtime },
      { path: 'app/main.py', content: 'print("hello")\n', mtime },
      { path: 'app/serve.py', content: noise(4_000, 30), mtime },
    ],
  };
}

const curlLayer: LayerSpec = {
  createdBy: 'RUN /bin/sh -c apt-get install -y curl # buildkit',
  files: [
    { path: 'usr/bin/curl', content: noise(9_000, 40) },
    { path: 'var/lib/dpkg/status', content: dpkgParagraph('bash', '5.2.15-2+b7') + dpkgParagraph('libc6', '2.36-9+deb12u10') + dpkgParagraph('curl', '7.88.1-10+deb12u5') },
    { path: 'var/lib/dpkg/info/curl.list', content: '/.\n/usr\n/usr/bin\n/usr/bin/curl\n' },
  ],
};

function npmLayer(v: 1 | 2): LayerSpec {
  return {
    createdBy: 'RUN /bin/sh -c npm ci # buildkit',
    files: v === 1 ? npmPackage('express', '4.18.2', 2_000, 50) : npmPackage('express', '4.21.0', 2_600, 51),
  };
}

const legacyLayer: LayerSpec = {
  createdBy: 'RUN /bin/sh -c install-legacy # buildkit',
  files: [{ path: 'opt/legacy/run', content: noise(1_500, 60) }],
};

function buildLayer(v: 1 | 2): LayerSpec {
  const apk = v === 1
    ? 'P:musl\nV:1.2.4-r2\nF:lib\nR:ld-musl-x86_64.so.1\n\nP:busybox\nV:1.36.1-r15\nF:bin\nR:busybox\n\n'
    : 'P:musl\nV:1.2.5-r0\nF:lib\nR:ld-musl-x86_64.so.1\n\nP:busybox\nV:1.36.1-r2\nF:bin\nR:busybox\n\n';
  const condaVersion = v === 1 ? '1.26.4' : '2.0.0';
  const files: FileSpec[] = [
    { path: 'lib/apk/db/installed', content: apk },
    { path: 'lib/ld-musl-x86_64.so.1', content: noise(v === 1 ? 600 : 640, 70 + v) },
    { path: 'bin/busybox', content: noise(800, 72) },
    { path: `opt/conda/conda-meta/numpy-${condaVersion}-py312_0.json`, content: JSON.stringify({ name: 'numpy', version: condaVersion, files: ['lib/libnumpy.so'] }) },
    { path: 'opt/conda/lib/libnumpy.so', content: noise(v === 1 ? 10_000 : 12_000, 73 + v) },
    { path: 'usr/local/bin/tool', content: noise(500, 75), mode: v === 1 ? 0o755 : 0o700 },
    { path: 'usr/local/bin/app', type: 'symlink', linkname: v === 1 ? 'app-1' : 'app-2' },
    { path: 'var/lib/app', type: 'dir', uid: v === 1 ? 0 : 1000 },
    ...(v === 1
      ? [{ path: 'srv/data/a.bin', content: noise(2_000, 76) }, { path: 'srv/data/b.bin', content: noise(3_000, 77) }]
      : [{ path: 'srv/data', content: 'moved to a volume\n' }]),
  ];
  return { createdBy: `RUN /bin/sh -c ./build.sh ${v === 1 ? '--fast' : '--release'} # buildkit`, files };
}

function pycLayer(v: 1 | 2): LayerSpec {
  return {
    createdBy: 'RUN /bin/sh -c python -m compileall /app # buildkit',
    files: [
      { path: 'app/__pycache__/main.cpython-312.pyc', content: noise(200, 80 + v) },
      { path: 'app/__pycache__/serve.cpython-312.pyc', content: noise(v === 1 ? 3_000 : 3_100, 82 + v) },
    ],
  };
}

export const COMPARE_V1: ImageSpec = {
  tags: ['shop:1.0'],
  layers: [baseLayer, pipLayer(1), appLayer(FIXED_MTIME), npmLayer(1), legacyLayer, buildLayer(1), pycLayer(1)],
  emptySteps: [{ before: 1, createdBy: 'ENV LANG=C.UTF-8' }, { before: 7, createdBy: 'CMD ["main.py"]' }],
  config: {
    Env: ['PATH=/usr/local/bin:/usr/bin', 'LANG=C.UTF-8', 'MODEL_DIR=/models/v1'],
    Entrypoint: ['python'],
    Cmd: ['main.py'],
    WorkingDir: '/app',
    ExposedPorts: { '8000/tcp': {} },
    Volumes: { '/data': {} },
    Labels: { 'org.opencontainers.image.version': '1.0', 'com.example.legacy': 'yes' },
    StopSignal: 'SIGTERM',
  },
};

export const COMPARE_V2: ImageSpec = {
  tags: ['shop:2.0'],
  layers: [baseLayer, pipLayer(2), appLayer(FIXED_MTIME + DAY), curlLayer, npmLayer(2), buildLayer(2), pycLayer(2)],
  emptySteps: [{ before: 7, createdBy: 'USER app' }, { before: 7, createdBy: 'CMD ["serve.py"]' }],
  config: {
    Env: ['PATH=/usr/local/bin:/usr/bin', 'MODEL_DIR=/models/v2', 'DEBUG=0'],
    Entrypoint: ['python', '-u'],
    Cmd: ['serve.py'],
    User: 'app',
    WorkingDir: '/srv',
    ExposedPorts: { '8000/tcp': {}, '9090/tcp': {} },
    Volumes: { '/data': {}, '/cache': {} },
    Labels: { 'org.opencontainers.image.version': '2.0' },
    StopSignal: 'SIGINT',
  },
};
