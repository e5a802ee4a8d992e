// The images the registry tests push: small, but with what the figures are about (a file
// overwritten, a file removed, a directory of duplicates), in the formats and compressions a
// registry holds. Their figures are written out in the tests.

import type { ImageSpec, LayerSpec } from '../../src/testing';

const BASE: LayerSpec = {
  createdBy: 'ADD rootfs.tar.gz / # registry test base',
  files: [
    { path: 'etc/os-release', content: 'ID=strata-test\nVERSION_ID=1\n' },
    { path: 'bin/busybox', size: 40_000, mode: 0o755 },
    { path: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { path: 'usr/lib/libapp.so', size: 30_000 },
  ],
};

const CACHE: LayerSpec = {
  createdBy: 'RUN fetch-deps --cache /var/cache/app',
  files: [
    { path: 'var/cache/app/deps.bin', size: 25_000 },
    { path: 'opt/app/bin/app', size: 12_000, mode: 0o755 },
    { path: 'opt/app/share/a.txt', content: 'same text\n'.repeat(300) },
    { path: 'opt/app/share/b.txt', content: 'same text\n'.repeat(300) },
  ],
};

const CLEANUP: LayerSpec = {
  createdBy: 'RUN rm -rf /var/cache/app && patch-lib /usr/lib/libapp.so',
  files: [
    { path: 'var/cache/app/.wh.deps.bin', size: 0 },
    { path: 'usr/lib/libapp.so', size: 31_000 },
  ],
};

export const APP: ImageSpec = {
  tags: ['app:1'],
  layers: [BASE, CACHE, CLEANUP],
  emptySteps: [{ before: 99, createdBy: 'CMD ["/opt/app/bin/app"]' }],
  config: { Cmd: ['/opt/app/bin/app'], Env: ['PATH=/usr/bin:/bin'] },
};

/** The same image with its layers stored gzip, zstd, gzip: one manifest, two codecs. */
export const MIXED: ImageSpec = {
  tags: ['mixed:1'],
  layers: [{ ...BASE, compression: 'gzip' }, { ...CACHE, compression: 'zstd' }, { ...CLEANUP, compression: 'gzip' }],
  config: APP.config,
};

/** Two platforms of one image (plus BuildKit-style attestations when written with them). */
export const MULTI_AMD64: ImageSpec = {
  tags: ['multi:1'],
  layers: [BASE, { createdBy: 'RUN build --arch amd64', files: [{ path: 'opt/app/bin/app', size: 10_000, mode: 0o755 }] }],
  platform: { os: 'linux', architecture: 'amd64' },
};
export const MULTI_ARM64: ImageSpec = {
  tags: ['multi:1'],
  layers: [BASE, { createdBy: 'RUN build --arch arm64', files: [{ path: 'opt/app/bin/app', size: 9_000, mode: 0o755 }, { path: 'opt/app/lib/neon.so', size: 3_000 }] }],
  platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
};

/** APP and one more layer: pushed as zstd after APP, skopeo reuses APP's three gzip blobs. */
export const APP_PLUS: ImageSpec = {
  tags: ['reused:1'],
  layers: [...APP.layers, { createdBy: 'RUN install-plugin p', files: [{ path: 'opt/app/plugins/p.so', size: 7_000 }, { path: 'opt/app/bin/app', size: 12_500, mode: 0o755 }] }],
  config: APP.config,
};

/** The same empty step twice: one diff_id, listed twice in the manifest, fetched once. */
export const REPEATED: ImageSpec = {
  tags: ['repeated:1'],
  layers: [BASE, { createdBy: 'RUN true', files: [] }, { createdBy: 'RUN true', files: [] }],
};
