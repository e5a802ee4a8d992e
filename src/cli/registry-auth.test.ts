// Where the CLI finds credentials: the files skopeo, podman and docker write, in their order, and
// credential helpers (a real helper program speaking docker's protocol on stdin/stdout).
import { describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authFiles, findCredentials } from './registry-auth';

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function home(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'strata-auth-'));
}

describe('authFiles', () => {
  it('looks where skopeo, podman and docker keep credentials, in that order', () => {
    expect(authFiles({ HOME: '/h', REGISTRY_AUTH_FILE: '/a/auth.json', XDG_RUNTIME_DIR: '/run/user/7', DOCKER_CONFIG: '/d' })).toEqual([
      '/a/auth.json', '/run/user/7/containers/auth.json', '/h/.config/containers/auth.json', '/d/config.json', '/h/.docker/config.json',
    ]);
    expect(authFiles({ HOME: '/h' })).toEqual(['/h/.config/containers/auth.json', '/h/.docker/config.json']);
  });
});

describe('findCredentials', () => {
  it('reads `auth` (base64 user:password) and username/password entries, the first file first', async () => {
    const h = await home();
    await mkdir(join(h, '.docker'));
    await writeFile(join(h, '.docker', 'config.json'), JSON.stringify({ auths: {
      'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass:with:colons') },
      'registry.example.com:5000': { username: 'docker-user', password: 'docker-pass' },
    } }));
    await writeFile(join(h, 'skopeo.json'), JSON.stringify({ auths: { 'registry.example.com:5000': { auth: b64('skopeo-user:skopeo-pass') } } }));
    const env = { HOME: h, PATH: process.env.PATH, REGISTRY_AUTH_FILE: join(h, 'skopeo.json') };
    expect(await findCredentials('docker.io', 'library/python', env)).toEqual({
      credentials: { username: 'hubuser', password: 'hub:pass:with:colons' }, source: join(h, '.docker', 'config.json'),
    });
    expect(await findCredentials('registry.example.com:5000', 'team/app', env)).toEqual({
      credentials: { username: 'skopeo-user', password: 'skopeo-pass' }, source: join(h, 'skopeo.json'),
    });
    expect(await findCredentials('registry.example.com', 'org/img', env)).toBeUndefined();
  });

  it('a key scoped to a namespace wins over the bare host (containers-auth.json)', async () => {
    const h = await home();
    await writeFile(join(h, 'auth.json'), JSON.stringify({ auths: {
      'registry.example.com': { auth: b64('any:1') },
      'registry.example.com/org': { auth: b64('org:2') },
    } }));
    const env = { HOME: h, REGISTRY_AUTH_FILE: join(h, 'auth.json') };
    expect((await findCredentials('registry.example.com', 'org/team/img', env))?.credentials).toEqual({ username: 'org', password: '2' });
    expect((await findCredentials('registry.example.com', 'other/img', env))?.credentials).toEqual({ username: 'any', password: '1' });
  });

  it('runs docker-credential-<name> for credHelpers and credsStore, the server on stdin', async () => {
    const h = await home();
    const bin = join(h, 'bin');
    await mkdir(bin);
    // A credential helper as docker-credential-pass or -secretservice behave: `get`, server on stdin.
    const helper = join(bin, 'docker-credential-strata-test');
    await writeFile(helper, '#!/bin/sh\nread server\ncase "$server" in\n  registry.example.com) printf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}\' "$server" ;;\n  *) echo "credentials not found in native keychain"; exit 1 ;;\nesac\n');
    await chmod(helper, 0o755);
    await mkdir(join(h, '.docker'));
    await writeFile(join(h, '.docker', 'config.json'), JSON.stringify({
      credHelpers: { 'registry.example.com': 'strata-test' },
      credsStore: 'strata-test',
      auths: { 'other.example.com': { auth: b64('file-user:file-pass') } },
    }));
    const env = { HOME: h, PATH: `${bin}:${process.env.PATH}` };
    expect(await findCredentials('registry.example.com', 'app', env)).toEqual({
      credentials: { username: 'helper-user', password: 'helper-secret' }, source: 'docker-credential-strata-test',
    });
    // The store knows nothing of this host: the file's entry answers.
    expect((await findCredentials('other.example.com', 'app', env))?.credentials).toEqual({ username: 'file-user', password: 'file-pass' });
    // A helper that is not installed is skipped, not an error.
    await writeFile(join(h, '.docker', 'config.json'), JSON.stringify({ credsStore: 'not-installed-anywhere' }));
    expect(await findCredentials('registry.example.com', 'app', env)).toBeUndefined();
  });
});
