// The page's registry path end to end against a real registry (Debian's docker-registry on
// loopback, images pushed with skopeo): the page-side client and layer sources (src/workers/
// registry-load.ts, running here in Node over Node's fetch) -> our proxy -> the registry, with the
// token service and htpasswd auth done by the proxy. What arrives is what was pushed: every layer
// streamed through the proxy hashes to its digest at its descriptor's size.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDockerSave } from '../../src/testing';
import { PUSHER, READER, skipReason, startRegistry, type RegistryServer } from './harness';
import { APP } from './images';
import { openReference } from '../../src/workers/registry-load';
import { AllowList } from '../../src/server/hop-policy';
import { closeAll, proxyWith } from '../../src/server/registry-proxy-hostile';
import type { ImageSource } from '../../src/core/source/types';

const skip = skipReason('token');

async function streamed(source: ImageSource): Promise<{ layers: number; verified: number; sizes: number[] }> {
  const listing = await source.list();
  const image = listing.images[0]!;
  let verified = 0;
  const sizes: number[] = [];
  for (const plan of image.layers) {
    const bytes = source.layer(plan);
    const hash = createHash('sha256');
    let n = 0;
    const reader = bytes.stream().getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) { hash.update(r.value); n += r.value.byteLength; }
    if (`sha256:${hash.digest('hex')}` === plan.digest && n === plan.declaredSize) verified++;
    sizes.push(n);
  }
  return { layers: image.layers.length, verified, sizes };
}

describe.skipIf(skip !== '')(`the page pulls through the proxy from a real registry${skip}`, () => {
  let dir: string;
  let archive: string;
  const registries: RegistryServer[] = [];
  let anonymous: RegistryServer;
  let basic: RegistryServer;
  let token: RegistryServer;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-proxy-real-'));
    archive = join(dir, 'app.tar');
    await writeFile(archive, await writeDockerSave([APP]));
    [anonymous, basic, token] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic' }), startRegistry({ auth: 'token' })]);
    registries.push(anonymous, basic, token);
    await Promise.all([
      anonymous.push(archive, 'app:1'),
      basic.push(archive, 'private/app:1'),
      token.push(archive, 'public/app:1'),
      token.push(archive, 'private/app:1'),
    ]);
    // The token service listens on another loopback port: the operator allows loopback, any port.
    port = await proxyWith({ allow: AllowList.parse(['http://127.0.0.1']) });
  }, 120_000);

  afterAll(async () => {
    await closeAll();
    await Promise.all(registries.map((r) => r.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${port}/`;

  it('reads an anonymous image: three layers, each arriving whole and verified', async () => {
    const load = openReference(`${anonymous.host}/app:1`, { base: base() });
    const got = await streamed(load.source);
    expect([got.layers, got.verified]).toEqual([3, 3]);
    expect(load.resolved()?.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it('asks for credentials on an htpasswd registry, then reads with them (the layer requests carry none)', async () => {
    const ref = `${basic.host}/private/app:1`;
    await expect(openReference(ref, { base: base() }).source.list()).rejects.toMatchObject({ code: 'unauthorized' });
    const wrong = openReference(ref, { base: base(), credentials: { host: basic.host, username: PUSHER.username, password: 'not-it' } });
    await expect(wrong.source.list()).rejects.toMatchObject({ code: 'unauthorized' });
    const right = openReference(ref, { base: base(), credentials: { host: basic.host, ...PUSHER } });
    expect((await streamed(right.source)).verified).toBe(3);
  });

  it('gets tokens from the token service: anonymous for a public image, the user\'s for a private one', async () => {
    const pub = await streamed(openReference(`${token.host}/public/app:1`, { base: base() }).source);
    expect(pub.verified).toBe(3);
    await expect(openReference(`${token.host}/private/app:1`, { base: base() }).source.list()).rejects.toMatchObject({ code: 'unauthorized' });
    const priv = await streamed(openReference(`${token.host}/private/app:1`, { base: base(), credentials: { host: token.host, ...READER } }).source);
    expect(priv.verified).toBe(3);
    expect(token.issuer!.requests.some((r) => r.user === READER.username && r.scopes.includes('repository:private/app:pull'))).toBe(true);
  });

  it('names a missing tag as not found', async () => {
    await expect(openReference(`${anonymous.host}/app:nope`, { base: base() }).source.list()).rejects.toMatchObject({ code: 'not-found' });
  });
});
