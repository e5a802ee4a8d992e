import { describe, expect, it } from 'vitest';
import { AllowList, HopPolicy, parseAllowEntry, registryOrigin } from './hop-policy';
import { ownHostNames, parseProxyPath } from './proxy-request';

const allow = AllowList.parse(['registry.lan:5000', 'http://10.0.0.7:5000', '127.0.0.1', 'auth.lan']);
const policyFor = (host: string) => new HopPolicy(allow, registryOrigin(allow, host));
const refusal = (f: () => void): string => {
  try {
    f();
    return 'allowed';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('--allow-registry', () => {
  it('reads HOST, HOST:PORT, http://HOST:PORT and [v6]:PORT, and rejects paths and userinfo', () => {
    expect(parseAllowEntry('registry.lan:5000')).toEqual({ hostname: 'registry.lan', port: 5000, scheme: undefined });
    expect(parseAllowEntry('http://10.0.0.7:5000')).toEqual({ hostname: '10.0.0.7', port: 5000, scheme: 'http' });
    expect(parseAllowEntry('[::1]:5000')).toEqual({ hostname: '[::1]', port: 5000, scheme: undefined });
    expect(parseAllowEntry('Auth.LAN')).toEqual({ hostname: 'auth.lan', port: undefined, scheme: undefined });
    for (const bad of ['registry.lan/v2', 'user@registry.lan', '', 'http://']) expect(() => parseAllowEntry(bad)).toThrow(/--allow-registry/);
  });

  it('speaks http to loopback and http-allowed registries, https to every other', () => {
    expect(registryOrigin(allow, '127.0.0.1:5000').url.protocol).toBe('http:');
    expect(registryOrigin(allow, '10.0.0.7:5000').url.protocol).toBe('http:');
    expect(registryOrigin(allow, 'registry.lan:5000').url.protocol).toBe('https:');
    expect(registryOrigin(allow, 'registry.example.com').url.protocol).toBe('https:');
    expect([registryOrigin(allow, 'registry.lan:5000').allowed, registryOrigin(allow, 'registry.lan:5001').allowed]).toEqual([true, false]);
  });
});

describe('the hop policy', () => {
  it('never lets a public registry move a pull into private space, not even into an allowed host', () => {
    const p = policyFor('registry.example.com');
    expect(refusal(() => p.checkAddress(new URL('https://auth.lan/token'), '10.0.0.9', 'realm'))).toMatch(/public registry registry\.example\.com may not send a pull into a private/);
    expect(refusal(() => p.checkUrl(new URL('https://127.0.0.1/x'), 'redirect'))).toMatch(/may not send a pull into a loopback/);
    expect(refusal(() => p.checkAddress(new URL('https://cdn.example.com/x'), '::ffff:192.168.1.1', 'redirect'))).toMatch(/--allow-registry cdn\.example\.com/);
    expect(refusal(() => p.checkAddress(new URL('https://cdn.example.com/x'), '151.101.1.1', 'redirect'))).toBe('allowed');
  });

  it('lets an allowed registry use an allowed private realm, never a link-local one', () => {
    const p = policyFor('registry.lan:5000');
    expect(refusal(() => p.checkAddress(new URL('https://auth.lan/token'), '10.0.0.9', 'realm'))).toBe('allowed');
    expect(refusal(() => p.checkAddress(new URL('https://other.lan/token'), '10.0.0.9', 'realm'))).toMatch(/--allow-registry other\.lan/);
    expect(refusal(() => p.checkAddress(new URL('https://auth.lan/token'), '169.254.169.254', 'realm'))).toMatch(/link-local/);
  });

  it('allows plain http only when the registry itself is an allowed http one', () => {
    expect(refusal(() => policyFor('registry.lan:5000').checkUrl(new URL('http://auth.lan/token'), 'realm'))).toMatch(/plain http only/);
    expect(refusal(() => policyFor('registry.example.com').checkUrl(new URL('http://auth.example.com/token'), 'realm'))).toMatch(/plain http only/);
    expect(refusal(() => policyFor('10.0.0.7:5000').checkUrl(new URL('http://auth.lan/token'), 'realm'))).toBe('allowed');
    expect(refusal(() => policyFor('registry.example.com').checkUrl(new URL('ftp://files.example.com/x'), 'redirect'))).toMatch(/only http\(s\)/);
    expect(refusal(() => policyFor('registry.example.com').checkUrl(new URL('https://u:p@cdn.example.com/x'), 'redirect'))).toMatch(/user names and passwords/);
  });
});

describe('the page side', () => {
  it('knows the Host names our own page uses', () => {
    expect([...ownHostNames('127.0.0.1', 5174)].sort()).toEqual(['127.0.0.1:5174', '[::1]:5174', 'localhost:5174']);
    expect([...ownHostNames('192.168.1.20', 8080)]).toEqual(['192.168.1.20:8080']);
  });

  it('rebuilds the upstream path from the parsed parts; Docker Hub by its API host', () => {
    expect(parseProxyPath('/registry/docker.io/v2/library/python/manifests/3.12-slim')).toEqual({
      host: 'registry-1.docker.io', request: { kind: 'manifest', name: 'library/python', reference: '3.12-slim' }, upstreamPath: '/v2/library/python/manifests/3.12-slim',
    });
    expect(parseProxyPath('/registry/Registry.EXAMPLE.com/v2/org/team/img/tags/list?n=50&last=v1').upstreamPath).toBe('/v2/org/team/img/tags/list?n=50&last=v1');
    expect(parseProxyPath('/registry/[::1]:5000/v2/').host).toBe('[::1]:5000');
  });
});
