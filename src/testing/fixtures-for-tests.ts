// Small image specs shared by the writer tests (the demo images are bigger; see demo-images.ts).

import type { ImageSpec } from './image';
import type { LayerSpec } from './layer';

export const BASE_LAYER: LayerSpec = {
  createdBy: 'ADD rootfs.tar.gz /',
  files: [
    { path: 'etc/os-release', content: 'ID=test\n' },
    { path: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { path: 'bin/busybox', size: 2048, mode: 0o755 },
  ],
};

export const IMAGE_A: ImageSpec = {
  tags: ['app:a'],
  layers: [BASE_LAYER, { createdBy: 'RUN echo a > /a', files: [{ path: 'a', content: 'a\n' }] }],
  emptySteps: [
    { before: 1, createdBy: 'ENV MODE=a' },
    { before: 99, createdBy: 'CMD ["/a"]' },
  ],
  config: { Env: ['MODE=a'], Cmd: ['/a'], WorkingDir: '/', ExposedPorts: { '80/tcp': {} } },
};

export const IMAGE_B: ImageSpec = {
  tags: ['app:b', 'registry.example:5000/team/app:b'],
  layers: [BASE_LAYER, { createdBy: 'RUN echo b > /b', files: [{ path: 'b', content: 'b\n' }] }],
  platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
};

/** The same layer twice: classic docker save writes the second one as a symlink. */
export const IMAGE_REPEATED: ImageSpec = {
  tags: ['repeat:1'],
  layers: [BASE_LAYER, { createdBy: 'RUN true', files: [] }, { createdBy: 'RUN true', files: [] }],
};
