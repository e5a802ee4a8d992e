// The registry client against a real registry (Debian's docker-registry with token and htpasswd
// auth, images pushed by skopeo): what it asks for, when, with which credentials, and what a user
// reads when it goes wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeTransport } from '../../src/cli/registry-image';
import { installNodeSha256 } from '../../src/cli/node-hash';
import { parseReference, RegistryClient, RegistryError, RegistryImageSource, type Credentials, type RegistryClientOptions } from '../../src/core/registry';
import { PUSHER, READER, skipReason, startRegistry, type RegistryServer } from './harness';
import { seedRegistry, writeArchives } from './seed';

const SKIP = `${skipReason('token')}${skipReason('basic')}`;

interface Logged { method: string; url: string; authorization?: string }

function recordingClient(extra: Partial<RegistryClientOptions> & { creds?: Credentials } = {}) {
  const log: Logged[] = [];
  const client = new RegistryClient({
    fetch: (url, init) => {
      log.push({ method: init.method, url, ...(init.headers.authorization ? { authorization: init.headers.authorization } : {}) });
      return nodeTransport(url, init);
    },
    ...(extra.creds ? { credentials: () => extra.creds } : {}),
    ...extra,
  });
  return { client, log };
}

async function drain(s: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of s as unknown as AsyncIterable<Uint8Array>) n += c.byteLength;
  return n;
}

async function failure(p: Promise<unknown>): Promise<RegistryError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(RegistryError);
  return e as RegistryError;
}

describe.skipIf(SKIP !== '')(`the registry client against docker-registry${SKIP}`, () => {
  let dir: string;
  let token: RegistryServer;
  let basic: RegistryServer;

  beforeAll(async () => {
    installNodeSha256();
    dir = await mkdtemp(join(tmpdir(), 'strata-client-'));
    const archives = await writeArchives(dir);
    [token, basic] = await Promise.all([startRegistry({ auth: 'token' }), startRegistry({ auth: 'basic' })]);
    await Promise.all([seedRegistry(token, archives), seedRegistry(basic, archives)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([token?.stop(), basic?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists an image from its manifest and config alone, then streams each layer with one token', async () => {
    const { client, log } = recordingClient();
    const source = new RegistryImageSource(client, parseReference(`${token.host}/public/app:1`));
    const before = token.issuer!.requests.length;
    const listing = await source.list();
    expect(listing.format).toBe('registry');
    expect(listing.images[0]!.tags).toEqual([`${token.host}/public/app:1`]);
    expect(listing.images[0]!.layers.map((l) => [l.mediaType, l.declaredSize])).toEqual([
      ['application/vnd.docker.image.rootfs.diff.tar.gzip', 528],
      ['application/vnd.docker.image.rootfs.diff.tar.gzip', 405],
      ['application/vnd.docker.image.rootfs.diff.tar.gzip', 292],
    ]);
    // The graph can be drawn now: no layer blob was asked for, only the config.
    const paths = log.map((r) => `${r.method} ${new URL(r.url).pathname}`);
    expect(paths).toEqual([
      'GET /v2/',
      'GET /token',
      'HEAD /v2/public/app/manifests/1',
      `GET /v2/public/app/manifests/${listing.images[0]!.manifestDigest}`,
      `GET /v2/public/app/blobs/${listing.images[0]!.configDigest}`,
    ]);
    const sizes = await Promise.all(listing.images[0]!.layers.map((l) => drain(source.layer(l).stream())));
    expect(sizes).toEqual([528, 405, 292]);
    // One anonymous token for the whole load, asked for the pull scope only.
    expect(token.issuer!.requests.slice(before)).toEqual([{ user: null, scopes: ['repository:public/app:pull'] }]);
  });

  it('asks for a new token once the cached one has expired', async () => {
    let clock = Date.now();
    const { client } = recordingClient({ now: () => clock });
    const source = new RegistryImageSource(client, parseReference(`${token.host}/public/app:1`));
    const before = token.issuer!.requests.length;
    const listing = await source.list();
    expect(token.issuer!.requests.length - before).toBe(1);
    clock += token.issuer!.expiresIn * 1000;
    await drain(source.layer(listing.images[0]!.layers[0]!).stream());
    expect(token.issuer!.requests.length - before).toBe(2);
  });

  it('pulls a private image with a user\'s credentials, which go to the token service only', async () => {
    const { client, log } = recordingClient({ creds: READER });
    const listing = await new RegistryImageSource(client, parseReference(`${token.host}/private/app:1`)).list();
    expect(listing.images[0]!.layers).toHaveLength(3);
    expect(token.issuer!.requests.at(-1)).toEqual({ user: 'reader', scopes: ['repository:private/app:pull'] });
    const basicTo = new Set(log.filter((r) => r.authorization?.startsWith('Basic ')).map((r) => new URL(r.url).pathname));
    expect(basicTo).toEqual(new Set(['/token']));
    expect(log.filter((r) => new URL(r.url).pathname.startsWith('/v2/public') || new URL(r.url).pathname.startsWith('/v2/private/')).every((r) => r.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it('without credentials a private image asks for them', async () => {
    const { client } = recordingClient();
    const e = await failure(new RegistryImageSource(client, parseReference(`${token.host}/private/app:1`)).list());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toBe(`${token.host} wants credentials to pull private/app (or it does not exist): give a username and a password or token`);
  });

  it('a wrong password still pulls a public image anonymously, and is refused for a private one', async () => {
    const wrong = { username: READER.username, password: 'not-the-password' };
    const refused = token.issuer!.refused;
    const pub = recordingClient({ creds: wrong });
    const listing = await new RegistryImageSource(pub.client, parseReference(`${token.host}/public/app:1`)).list();
    expect(listing.images[0]!.layers).toHaveLength(3);
    expect(token.issuer!.refused).toBe(refused + 1);
    const priv = recordingClient({ creds: wrong });
    const e = await failure(new RegistryImageSource(priv.client, parseReference(`${token.host}/private/app:1`)).list());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toBe(`${token.host} refused the credentials for private/app: check the username and the password or token`);
    expect(e.message).not.toContain('not-the-password');
  });

  it('htpasswd: Basic credentials straight to the registry; none gets a request for them', async () => {
    const ok = recordingClient({ creds: PUSHER });
    const listing = await new RegistryImageSource(ok.client, parseReference(`${basic.host}/private/app:1`)).list();
    expect(listing.images[0]!.layers).toHaveLength(3);
    expect(ok.log.slice(1).every((r) => r.authorization === `Basic ${Buffer.from(`${PUSHER.username}:${PUSHER.password}`).toString('base64')}`)).toBe(true);
    const none = recordingClient();
    const e = await failure(new RegistryImageSource(none.client, parseReference(`${basic.host}/private/app:1`)).list());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/wants credentials to pull private\/app/);
  });

  it('an unknown tag or repository is not found, in words that say which to check', async () => {
    const { client } = recordingClient();
    const tag = await failure(new RegistryImageSource(client, parseReference(`${token.host}/public/app:nope`)).list());
    expect([tag.code, tag.message]).toEqual(['not-found', `${token.host} has no public/app:nope: check the repository name and the tag`]);
    const repo = await failure(new RegistryImageSource(client, parseReference(`${token.host}/public/nothing:1`)).list());
    expect(repo.code).toBe('not-found');
    expect(repo.message).toBe(`${token.host} has no public/nothing:1: check the repository name and the tag`);
  });

  it('a registry nobody listens on is unreachable, with the reason', async () => {
    const closed = await startRegistry({ auth: 'none' });
    await closed.stop();
    const { client } = recordingClient();
    const e = await failure(client.resolve(parseReference(`${closed.host}/app:1`)));
    expect(e.code).toBe('unreachable');
    expect(e.message).toBe(`could not reach ${closed.host} for ${closed.host}/app (ECONNREFUSED): check the name, the port and your connection`);
  }, 30_000);
});
