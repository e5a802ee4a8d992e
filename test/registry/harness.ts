// A real registry for tests: Debian's `docker-registry` (distribution 2.8.2) on a loopback port we
// pick (distribution cannot listen on port 0 and tell us which it got), storage in a mktemp dir,
// anonymous, htpasswd Basic auth (`htpasswd -Bbn`, apache2-utils) or token auth against our token
// issuer. Images go in with `skopeo copy`, as a user would push them.
//
// No test framework here: Vitest suites and a Playwright global setup both call startRegistry()
// and stop(). registryToolsMissing() names what is not installed, so suites skip saying so.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { startTokenIssuer, type TokenIssuer } from './token-issuer';

const run = promisify(execFile);

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface RegistryUser { username: string; password: string }

/** The user the tests push with (and pull with, for private images). */
export const PUSHER: RegistryUser = { username: 'pusher', password: 'push-secret-1' };
/** A second user for the token registry, who may pull but not push. */
export const READER: RegistryUser = { username: 'reader', password: 'read-secret-2' };
export const TOKEN_SERVICE = 'strata-test-registry';
export const TOKEN_ISSUER = 'strata-test-issuer';

export interface PushOptions {
  /** `docker-archive` (docker save) or `oci-archive` (an OCI layout tar). */
  transport?: 'docker-archive' | 'oci-archive';
  /** Recompress the layers as zstd on the way (`--dest-compress-format zstd`). */
  zstd?: boolean;
  /** Copy every platform of an index (`--all`). */
  all?: boolean;
}

export interface RegistryServer {
  /** `127.0.0.1:PORT`, the registry part of a reference. */
  host: string;
  auth: RegistryAuth;
  /** The token service, for `auth: 'token'`. */
  issuer?: TokenIssuer;
  dir: string;
  push(archive: string, nameTag: string, opts?: PushOptions): Promise<void>;
  stop(): Promise<void>;
}

function onPath(cmd: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try { accessSync(join(dir, cmd), constants.X_OK); return true; } catch { /* next */ }
  }
  return false;
}

/** The commands a registry of this kind needs that are not installed (empty: all there). */
export function registryToolsMissing(auth: RegistryAuth = 'token'): string[] {
  const need = ['docker-registry', 'skopeo', ...(auth === 'basic' ? ['htpasswd'] : []), ...(auth === 'token' ? ['openssl'] : [])];
  return need.filter((c) => !onPath(c));
}

/** `''` when the tools are there, else ` (skipped: ...)` for a describe title. */
export function skipReason(auth: RegistryAuth = 'token'): string {
  const missing = registryToolsMissing(auth);
  return missing.length === 0 ? '' : ` (skipped: ${missing.join(', ')} not installed; scripts/ensure-tools.sh installs them)`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function makeCert(dir: string): Promise<{ certPem: string; keyPem: string; certPath: string }> {
  const certPath = join(dir, 'token-cert.pem');
  const keyPath = join(dir, 'token-key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=strata-test-token-issuer']);
  return { certPem: await readFile(certPath, 'utf8'), keyPem: await readFile(keyPath, 'utf8'), certPath };
}

async function authConfig(auth: RegistryAuth, dir: string): Promise<{ yaml: string; issuer?: TokenIssuer }> {
  if (auth === 'none') return { yaml: '' };
  if (auth === 'basic') {
    const { stdout } = await run('htpasswd', ['-Bbn', PUSHER.username, PUSHER.password]);
    await writeFile(join(dir, 'htpasswd'), stdout);
    return { yaml: `auth:\n  htpasswd:\n    realm: strata-test\n    path: ${join(dir, 'htpasswd')}\n` };
  }
  const cert = await makeCert(dir);
  const issuer = await startTokenIssuer({
    service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, certPem: cert.certPem, keyPem: cert.keyPem,
    users: { [PUSHER.username]: PUSHER.password, [READER.username]: READER.password }, pushers: [PUSHER.username],
  });
  return {
    issuer,
    yaml: `auth:\n  token:\n    realm: ${issuer.realm}\n    service: ${TOKEN_SERVICE}\n    issuer: ${TOKEN_ISSUER}\n    rootcertbundle: ${cert.certPath}\n`,
  };
}

function configYaml(dir: string, port: number, auth: string): string {
  return [
    'version: 0.1',
    'log:\n  level: error\n  accesslog:\n    disabled: true',
    `storage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true`,
    `http:\n  addr: 127.0.0.1:${port}\n  secret: strata-test-secret`,
    auth,
  ].join('\n');
}

/** Polls `/v2/` until the registry answers (any status); fails if the process exits first. */
async function waitReady(host: string, child: ChildProcess, log: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${(await log()).slice(0, 500)}`);
    const ok = await fetch(`http://${host}/v2/`).then(() => true, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry on ${host} did not answer within 15 s`);
}

export async function startRegistry(opts: { auth?: RegistryAuth } = {}): Promise<RegistryServer> {
  const auth = opts.auth ?? 'none';
  const missing = registryToolsMissing(auth);
  if (missing.length) throw new Error(`cannot start a registry: ${missing.join(', ')} not installed`);
  const dir = await mkdtemp(join(tmpdir(), 'strata-registry-'));
  const { yaml, issuer } = await authConfig(auth, dir);
  // Another process may take the port between our probe and the registry's bind: try again.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = join(dir, 'config.yml');
    await writeFile(config, configYaml(dir, port, yaml));
    const logPath = join(dir, 'registry.log');
    const fd = openSync(logPath, 'a');
    const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    try {
      await waitReady(host, child, () => readFile(logPath, 'utf8'));
    } catch (e) {
      child.kill('SIGKILL');
      if (attempt < 2) continue;
      await issuer?.stop();
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    // A test run that dies without stop() must not leave a registry behind.
    const onExit = () => { child.kill('SIGKILL'); };
    process.once('exit', onExit);
    return {
      host, auth, dir, ...(issuer ? { issuer } : {}),
      push: (archive, nameTag, o = {}) => push(dir, host, auth, archive, nameTag, o),
      stop: async () => {
        process.off('exit', onExit);
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        await issuer?.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}

async function push(dir: string, host: string, auth: RegistryAuth, archive: string, nameTag: string, o: PushOptions): Promise<void> {
  const args = ['--insecure-policy', 'copy', '-q', '--dest-tls-verify=false'];
  if (o.all) args.push('--all');
  // zstd layers need an OCI manifest: Docker's schema 2 has no media type for them.
  if (o.zstd) args.push('--dest-compress-format', 'zstd', '--format', 'oci');
  if (auth !== 'none') args.push('--dest-creds', `${PUSHER.username}:${PUSHER.password}`);
  args.push(`${o.transport ?? 'docker-archive'}:${archive}`, `docker://${host}/${nameTag}`);
  // A HOME and runtime dir of its own per push: skopeo's blob-info cache and auth files stay out of
  // the user's, and a push asked to recompress as zstd is not answered with gzip blobs an earlier
  // push left in the registry (skopeo reuses those it knows by uncompressed digest).
  const home = await mkdtemp(join(dir, 'skopeo-'));
  const env = { ...process.env, HOME: home, XDG_RUNTIME_DIR: home, REGISTRY_AUTH_FILE: join(home, 'no-auth.json') };
  try {
    await run('skopeo', args, { env });
  } catch (e) {
    const err = e as { stderr?: string };
    throw new Error(`skopeo copy ${archive} -> ${host}/${nameTag} failed: ${err.stderr ?? String(e)}`);
  }
}
