// WWW-Authenticate as registries send it: Docker Hub, GitHub's, distribution's htpasswd and token modes.
import { describe, expect, it } from 'vitest';
import { parseChallenge } from './challenge';

describe('parseChallenge', () => {
  it.each([
    ['Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"',
      { scheme: 'bearer', realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/python:pull' }],
    ['Bearer realm="https://registry.example.com/token",service="registry.example.com",scope="repository:org/img:pull"',
      { scheme: 'bearer', realm: 'https://registry.example.com/token', service: 'registry.example.com', scope: 'repository:org/img:pull' }],
    ['bearer realm=https://auth.example.com/t, error="insufficient_scope"', { scheme: 'bearer', realm: 'https://auth.example.com/t' }],
    ['Basic realm="strata-test"', { scheme: 'basic' }],
    ['Bearer realm="https://a.example.com/t?x=\\"q\\"",scope="repository:a:pull repository:b:pull"',
      { scheme: 'bearer', realm: 'https://a.example.com/t?x="q"', scope: 'repository:a:pull repository:b:pull' }],
    ['Negotiate abc==, Basic realm="x"', { scheme: 'basic' }],
  ])('%s', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });

  it.each([[null], [''], ['Negotiate'], ['Bearer service="x"'], ['Digest realm="x", nonce="y"']])('%j: none we speak', (header) => {
    expect(parseChallenge(header)).toBeUndefined();
  });
});
