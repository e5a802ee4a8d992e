// Our own image archives for the UI tests, written by the committed fixture writer (src/testing)
// into a directory the worker fixtures in ./test.ts own: formats the dive images do not cover, and
// a deliberately broken archive.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ImageSpec } from '../src/testing/image';
import { COMPARE_V1, COMPARE_V2, noise, wrap, writeDockerSave, writeDockerSaveOci, writeKaniko, writeOciLayout } from '../src/testing/index';

const BASE = {
  createdBy: 'ADD rootfs.tar.gz / # buildkit',
  files: [
    { path: 'etc/os-release', content: 'ID=strata-e2e\n' },
    { path: 'bin/busybox', size: 40_000, mode: 0o755 },
    { path: 'bin/sh', type: 'symlink' as const, linkname: 'busybox' },
  ],
};

export const APP_V1: ImageSpec = {
  tags: ['e2e/app:v1'],
  layers: [
    BASE,
    { createdBy: 'RUN /bin/sh -c apk add big # buildkit', files: [{ path: 'opt/big.bin', size: 120_000 }, { path: 'opt/cache/x.tmp', size: 30_000 }] },
    { createdBy: 'RUN /bin/sh -c rm -rf /opt/cache # buildkit', files: [{ path: 'opt/.wh.cache', type: 'file', content: '' }] },
    { createdBy: 'COPY app.py /srv/ # buildkit', files: [{ path: 'srv/app.py', content: 'print("v1")\n' }, { path: 'srv/broken-here.txt', content: 'x' }] },
  ],
  emptySteps: [{ before: 3, createdBy: 'WORKDIR /srv' }, { before: 99, createdBy: 'CMD ["python", "app.py"]' }],
  config: { Env: ['PATH=/usr/bin:/bin', 'MODE=<b>not html</b>'], Cmd: ['python', 'app.py'], WorkingDir: '/srv', ExposedPorts: { '8000/tcp': {} } },
};

export const APP_V2: ImageSpec = {
  ...APP_V1,
  tags: ['e2e/app:v2'],
  layers: [...APP_V1.layers.slice(0, 3), { createdBy: 'COPY app.py /srv/ # buildkit', files: [{ path: 'srv/app.py', content: 'print("v2")\n' }] }],
};

/** A tag from an archive anyone can write: it must show as these characters, never as markup. */
export const HOSTILE_TAG = 'shop:<b>2.0</b><img src=x onerror=alert(1)>';

export interface OwnImages {
  /** `docker save shop:1.0 shop:2.0` of the compare fixture (src/testing/compare-images.ts), v2 tagged HOSTILE_TAG: one shared base layer, six own layers each. */
  shopPair: string;
  dockerSaveTwo: string; oci: string; kaniko: string; dockerOci: string; gzipped: string; zstdWrapped: string; zstdLayers: string; broken: string;
}

/** Corrupts the tar header checksum of the entry named `name` inside an uncompressed layer. */
function breakHeader(archive: Uint8Array, name: string): Uint8Array {
  const needle = new TextEncoder().encode(name);
  for (let i = 0; i + needle.length < archive.length; i += 512) {
    if (needle.every((b, j) => archive[i + j] === b)) {
      const out = archive.slice();
      for (let j = 148; j < 156; j++) out[i + j] = 0x5a; // chksum field: 'ZZZZZZZZ' is not octal
      return out;
    }
  }
  throw new Error(`${name} not found on a header boundary`);
}

export async function writeOwnImages(dir: string): Promise<OwnImages> {
  const put = (file: string, bytes: Uint8Array) => {
    const p = path.join(dir, file);
    writeFileSync(p, bytes);
    return p;
  };
  return {
    shopPair: put('shop-1-2.tar', await writeDockerSave([COMPARE_V1, { ...COMPARE_V2, tags: [HOSTILE_TAG] }])),
    dockerSaveTwo: put('app-v1-v2.tar', await writeDockerSave([APP_V1, APP_V2])),
    oci: put('app-oci-layout.tar', await writeOciLayout([APP_V1])),
    kaniko: put('app-kaniko.tar', await writeKaniko(APP_V1)),
    dockerOci: put('app-docker25.tar', await writeDockerSaveOci([APP_V1])),
    gzipped: put('app-v1.tar.gz', wrap(await writeDockerSave([APP_V1]), 'gzip')),
    zstdWrapped: put('app-v1.tar.zst', wrap(await writeDockerSave([APP_V1]), 'zstd')),
    // zstd layers are decoded by libzstd in WebAssembly, inside the layer workers.
    zstdLayers: put('app-oci-zstd.tar', await writeOciLayout([{ ...APP_V1, layers: APP_V1.layers.map((l) => ({ ...l, compression: 'zstd' as const })) }])),
    broken: put('app-broken.tar', breakHeader(await writeDockerSave([APP_V1]), 'srv/broken-here.txt')),
  };
}

/** An OCI layout with two gzip layers of incompressible bytes (~24 MB): slow enough to watch. */
export async function writeSlowImage(dir: string): Promise<string> {
  const layer = (n: number, name: string) => ({
    createdBy: `RUN make ${name}`,
    files: Array.from({ length: 12 }, (_, i) => ({ path: `opt/${name}/part${i}.bin`, content: noise(1_000_000, n * 100 + i + 1) })),
  });
  const p = path.join(dir, 'slow-oci.tar');
  writeFileSync(p, await writeOciLayout([{ tags: ['e2e/slow:1'], layers: [layer(1, 'alpha'), layer(2, 'beta')] }]));
  return p;
}
