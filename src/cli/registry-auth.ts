// Credentials where skopeo, podman and docker keep them (containers-auth.json(5), docker's
// config.json): $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
// ~/.config/containers/auth.json, $DOCKER_CONFIG/config.json, ~/.docker/config.json. In each file,
// a credential helper named for the host (`credHelpers`), then an `auths` entry (`auth`: base64
// of user:password, or `username` and `password`), then the default helper (`credsStore`); the
// first file that has something for the host wins. Helpers are `docker-credential-<name> get`,
// run only when they are on PATH. Nothing read here is ever printed.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '../core/registry';

export interface FoundCredentials {
  credentials: Credentials;
  /** Where they came from, for a note on stderr: a file, or a helper's name. */
  source: string;
}

/** The files to look in, in order, from the environment. */
export function authFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  files.push(join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'containers', 'auth.json'));
  if (env.DOCKER_CONFIG) files.push(join(env.DOCKER_CONFIG, 'config.json'));
  files.push(join(home, '.docker', 'config.json'));
  return [...new Set(files)];
}

/** The keys an `auths` map may use for a registry, most specific first. Docker Hub has legacy ones. */
export function authKeys(registry: string, repository?: string): string[] {
  const hosts = registry === 'docker.io'
    ? ['docker.io', 'index.docker.io', 'registry-1.docker.io']
    : [registry];
  const keys: string[] = [];
  for (const host of hosts) {
    // containers-auth.json allows keys scoped to a namespace or repository: the longest match wins.
    if (repository) {
      const parts = repository.split('/');
      for (let n = parts.length; n > 0; n--) keys.push(`${host}/${parts.slice(0, n).join('/')}`);
    }
    keys.push(host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`, `http://${host}/v1/`);
  }
  return keys;
}

interface AuthFile {
  auths?: Record<string, { auth?: unknown; username?: unknown; password?: unknown }>;
  credHelpers?: Record<string, unknown>;
  credsStore?: unknown;
}

export async function findCredentials(registry: string, repository: string, env: NodeJS.ProcessEnv = process.env): Promise<FoundCredentials | undefined> {
  const keys = authKeys(registry, repository);
  for (const file of authFiles(env)) {
    const doc = await readAuthFile(file);
    if (!doc) continue;
    const helper = helperFor(doc, keys);
    if (helper) {
      const c = await runHelper(helper, registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry, env);
      if (c) return { credentials: c, source: `docker-credential-${helper}` };
    }
    const entry = keys.map((k) => doc.auths?.[k]).find((e) => e !== undefined);
    const c = entry ? decodeEntry(entry) : undefined;
    if (c) return { credentials: c, source: file };
    if (typeof doc.credsStore === 'string' && /^[\w.-]+$/.test(doc.credsStore)) {
      const s = await runHelper(doc.credsStore, registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry, env);
      if (s) return { credentials: s, source: `docker-credential-${doc.credsStore}` };
    }
  }
  return undefined;
}

async function readAuthFile(file: string): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const doc = JSON.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null ? (doc as AuthFile) : undefined;
  } catch {
    // A broken file is not ours to fix; say which, never what it holds.
    process.stderr.write(`strata: ${file} is not valid JSON; its credentials are ignored\n`);
    return undefined;
  }
}

function helperFor(doc: AuthFile, keys: string[]): string | undefined {
  for (const k of keys) {
    const h = doc.credHelpers?.[k];
    if (typeof h === 'string' && /^[\w.-]+$/.test(h)) return h;
  }
  return undefined;
}

function decodeEntry(e: { auth?: unknown; username?: unknown; password?: unknown }): Credentials | undefined {
  if (typeof e.auth === 'string' && e.auth) {
    const text = Buffer.from(e.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon > 0) return { username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  if (typeof e.username === 'string' && e.username && typeof e.password === 'string') return { username: e.username, password: e.password };
  return undefined;
}

/** `docker-credential-<name> get` with the server on stdin; JSON `{ Username, Secret }` on stdout. */
function runHelper(name: string, server: string, env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  return new Promise((resolve) => {
    const child = execFile(`docker-credential-${name}`, ['get'], { env, timeout: 10_000, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) { resolve(undefined); return; }
      try {
        const o = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
        // `<token>` is an identity token for an OAuth flow we do not speak.
        if (typeof o.Username === 'string' && o.Username && o.Username !== '<token>' && typeof o.Secret === 'string') {
          resolve({ username: o.Username, password: o.Secret });
        } else resolve(undefined);
      } catch {
        resolve(undefined);
      }
    });
    child.on('error', () => resolve(undefined));
    child.stdin?.end(server);
  });
}
