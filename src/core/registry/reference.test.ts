// References as a user types them, read as `docker pull` reads them (distribution/reference).
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseReference, registryScheme } from './reference';

const D = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseReference', () => {
  it.each([
    // typed                                   registry                   apiHost                    repository          tag          digest  toString
    ['python:3.12-slim',                       'docker.io',               'registry-1.docker.io',    'library/python',   '3.12-slim', undefined, 'docker.io/library/python:3.12-slim'],
    ['python',                                 'docker.io',               'registry-1.docker.io',    'library/python',   'latest',    undefined, 'docker.io/library/python:latest'],
    ['bitnami/redis',                          'docker.io',               'registry-1.docker.io',    'bitnami/redis',    'latest',    undefined, 'docker.io/bitnami/redis:latest'],
    ['docker.io/library/alpine:3',             'docker.io',               'registry-1.docker.io',    'library/alpine',   '3',         undefined, 'docker.io/library/alpine:3'],
    ['index.docker.io/nginx',                  'docker.io',               'registry-1.docker.io',    'library/nginx',    'latest',    undefined, 'docker.io/library/nginx:latest'],
    ['registry.example.com/org/team/img:tag',               'registry.example.com',                 'registry.example.com',                 'org/team/img',     'tag',       undefined, 'registry.example.com/org/team/img:tag'],
    [`registry.example.com:5000/x@${D}`,       'registry.example.com:5000', 'registry.example.com:5000', 'x',            undefined,   D,         `registry.example.com:5000/x@${D}`],
    [`registry.example.com/x:1.0@${D}`,        'registry.example.com',    'registry.example.com',    'x',                '1.0',       D,         `registry.example.com/x:1.0@${D}`],
    ['localhost/x',                            'localhost',               'localhost',               'x',                'latest',    undefined, 'localhost/x:latest'],
    ['localhost:5000/team/app:v2',             'localhost:5000',          'localhost:5000',          'team/app',         'v2',        undefined, 'localhost:5000/team/app:v2'],
    ['127.0.0.1:5000/app',                     '127.0.0.1:5000',          '127.0.0.1:5000',          'app',              'latest',    undefined, '127.0.0.1:5000/app:latest'],
    ['[::1]:5000/app:1',                       '[::1]:5000',              '[::1]:5000',              'app',              '1',         undefined, '[::1]:5000/app:1'],
    ['a.b/c__d/e-f--g.h_i:T_1.x-',             'a.b',                     'a.b',                     'c__d/e-f--g.h_i',  'T_1.x-',    undefined, 'a.b/c__d/e-f--g.h_i:T_1.x-'],
    ['  python:3  ',                           'docker.io',               'registry-1.docker.io',    'library/python',   '3',         undefined, 'docker.io/library/python:3'],
  ])('%s', (typed, registry, apiHost, repository, tag, digest, text) => {
    const r = parseReference(typed);
    expect({ registry: r.registry, apiHost: r.apiHost, repository: r.repository, tag: r.tag, digest: r.digest }).toEqual({ registry, apiHost, repository, tag, digest });
    expect(r.toString()).toBe(text);
  });

  it.each([
    ['', 'the reference is empty'],
    ['Python:3', 'repository names are lower case: "Python" has capitals'],
    ['registry.example.com/Org/img', 'repository names are lower case: "Org" has capitals'],
    ['python:', 'has a ":" with no tag after it'],
    ['python:.hidden', 'tag ".hidden" is not valid'],
    [`python:${'a'.repeat(129)}`, 'is not valid: up to 128'],
    ['python@sha256:abc', 'a sha256 digest is "sha256:" and 64 lower-case hex digits'],
    [`python@md5:${'0'.repeat(32)}`, 'only sha256'],
    ['registry.example.com//img', 'has an empty path component'],
    ['registry.example.com/img/', 'has an empty path component'],
    ['registry.example.com/-img', '"-img" is not a valid repository path component'],
    ['registry.example.com/im..g', '"im..g" is not a valid repository path component'],
    ['ex_ample.com:5000/x', '"ex_ample.com:5000" is not a valid registry host[:port]'],
    ['example.com:99999/x', 'port 99999 of "example.com:99999" is not between 1 and 65535'],
    ['https://registry.example.com/org/img', 'a reference has no scheme: write registry.example.com/org/img'],
    ['registry.example.com/org img', 'no spaces or control characters'],
    ['registry.example.com/org\u001b[31m', 'no spaces or control characters'],
    [`example.com/${'a'.repeat(250)}`, 'at most 255'],
  ])('refuses %j: %s', (typed, message) => {
    expect(() => parseReference(typed)).toThrow(message);
  });
});

describe('plain http', () => {
  it.each([
    ['localhost:5000', 'http'], ['127.0.0.1:5000', 'http'], ['127.8.9.10', 'http'], ['[::1]:5000', 'http'],
    ['registry.example.com', 'https'], ['10.0.0.5:5000', 'https'], ['localhost.example.com', 'https'], ['127.0.0.1.example.com', 'https'],
  ])('%s is spoken to over %s', (host, scheme) => {
    expect(registryScheme(host)).toBe(scheme);
    expect(isLoopbackHost(host)).toBe(scheme === 'http');
  });

  it('only hosts named insecure join them', () => {
    expect(registryScheme('10.0.0.5:5000', ['10.0.0.5:5000'])).toBe('http');
    expect(registryScheme('10.0.0.5:5001', ['10.0.0.5:5000'])).toBe('https');
  });
});
