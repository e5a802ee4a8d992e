// The archives the registry tests (and the page's Playwright spec) push, written by our fixture
// writer, and the pushes themselves. What lands where:
//
//   anonymous registry  app:1        docker save of APP (skopeo compresses the layers as gzip)
//                       app-oci:1    OCI archive of APP, gzip layers as our writer made them
//                       mixed:1      OCI archive of MIXED: gzip, zstd, gzip layers in one manifest
//                       multi:1      OCI index: linux/amd64 and linux/arm64/v8, two attestations
//                       repeated:1   OCI archive of REPEATED: one layer listed twice
//                       reused:1     docker save of APP_PLUS pushed with zstd after app:1: skopeo reuses
//                                    app:1's three gzip blobs and compresses the fourth layer as zstd
//   basic registry      private/app:1
//   token registry      public/app:1 (anonymous pull), private/app:1 (pull needs a user)

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDockerSave, writeOciLayout } from '../../src/testing';
import type { RegistryServer } from './harness';
import { APP, APP_PLUS, MIXED, MULTI_AMD64, MULTI_ARM64, REPEATED } from './images';

export interface Archives {
  app: string;
  appPlus: string;
  appOci: string;
  mixed: string;
  multi: string;
  repeated: string;
}

export async function writeArchives(dir: string): Promise<Archives> {
  const a: Archives = {
    app: join(dir, 'app.tar'),
    appPlus: join(dir, 'app-plus.tar'),
    appOci: join(dir, 'app-oci.tar'),
    mixed: join(dir, 'mixed.tar'),
    multi: join(dir, 'multi.tar'),
    repeated: join(dir, 'repeated.tar'),
  };
  await writeFile(a.app, await writeDockerSave([APP]));
  await writeFile(a.appPlus, await writeDockerSave([APP_PLUS]));
  await writeFile(a.appOci, await writeOciLayout([APP]));
  await writeFile(a.mixed, await writeOciLayout([MIXED]));
  await writeFile(a.repeated, await writeOciLayout([REPEATED]));
  await writeFile(a.multi, await writeOciLayout([MULTI_AMD64, MULTI_ARM64], { multiPlatform: true, attestation: true, nestedIndex: true }));
  return a;
}

/** Pushes the images this registry's kind holds (see the table above). */
export async function seedRegistry(server: RegistryServer, archives: Archives): Promise<void> {
  if (server.auth === 'none') {
    await server.push(archives.app, 'app:1');
    // After app:1: skopeo reuses the blobs the registry holds for the same diff_ids (MEASUREMENTS.md,
    // "Registries on loopback"), so only the new layer is compressed as zstd.
    await server.push(archives.appPlus, 'reused:1', { zstd: true });
    await server.push(archives.appOci, 'app-oci:1', { transport: 'oci-archive' });
    await server.push(archives.mixed, 'mixed:1', { transport: 'oci-archive' });
    await server.push(archives.multi, 'multi:1', { transport: 'oci-archive', all: true });
    await server.push(archives.repeated, 'repeated:1', { transport: 'oci-archive' });
  } else if (server.auth === 'basic') {
    await server.push(archives.app, 'private/app:1');
  } else {
    await server.push(archives.app, 'public/app:1');
    await server.push(archives.app, 'private/app:1');
  }
}
