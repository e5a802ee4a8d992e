// A pull-only client of the OCI distribution API (distribution-spec "Pull"), over an injected
// transport: the CLI passes Node's fetch, the page a fetch through our server's proxy. Pure
// TypeScript: no Node, no DOM beyond fetch's Response and Headers.
//
// Flow: ping `/v2/` once per host; a 401 there names the scheme. Bearer (Docker's token spec): a
// token from the realm for `repository:NAME:pull`, anonymous or with the user's credentials as
// Basic, cached per host and scope until `expires_in`; a later 401 naming a new scope refreshes it.
// Basic: the credentials straight to the registry. Credentials refused by a token service for a
// public image: we retry anonymously, as `docker pull` does with a stale login.

import { createSha256 } from '../codec';
import { isDigest, type Digest } from '../types';
import { parseChallenge, type Challenge } from './challenge';
import { RegistryError, readRateLimit, type RateLimit } from './errors';
import { emptyStream, exactBytes } from './exact-bytes';
import { registryFailure } from './failure';
import { discard, readCapped, walk, type HopCheck, type HopResult, type RegistryFetch } from './http';
import { bareMediaType, MANIFEST_ACCEPT } from './media-types';
import { registryScheme, type Reference } from './reference';
import { basicAuth, fetchToken, type Credentials, type Token } from './token';

export type { Credentials } from './token';
export type { HopCheck, HopKind, RegistryFetch, RegistryRequestInit } from './http';

export interface RegistryClientOptions {
  fetch: RegistryFetch;
  /** Credentials for a registry as typed in the reference (`docker.io`, `registry.example.com`, `127.0.0.1:5000`). */
  credentials?: (host: string) => Credentials | undefined;
  /** Called before every hop: the registry, the token realm, each redirect. Throw to refuse. */
  checkHop?: HopCheck;
  /** API hosts (`host:port`) spoken to over plain http besides loopback ones. */
  insecureHosts?: string[];
  /** Manifests larger than this are refused (default 4 MiB, distribution's own limit). */
  maxManifestBytes?: number;
  /** The clock for token lifetimes (tests pass their own). */
  now?: () => number;
}

export interface ResolvedManifest {
  digest: Digest;
  /** From `Content-Type`, when the registry sent one. */
  mediaType?: string;
  size?: number;
  rateLimit?: RateLimit;
}

export interface FetchedManifest {
  digest: Digest;
  mediaType?: string;
  bytes: Uint8Array;
}

export interface BlobOptions {
  signal?: AbortSignal;
  /** Byte range [from, to) of the blob; the whole blob by default. */
  from?: number;
  to?: number;
}

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

interface Authorised { header?: string; usedCredentials: boolean; refused: boolean; obtainedAt?: number }

export class RegistryClient {
  private readonly o: RegistryClientOptions;
  private readonly pings = new Map<string, Promise<Challenge | null>>();
  private readonly tokens = new Map<string, Promise<Token>>();
  /** Registries whose token service refused the user's credentials but gave us anonymous tokens. */
  private readonly anonymous = new Set<string>();
  private readonly limits = new Map<string, RateLimit>();
  /** Manifests resolveByGet read already, until manifest() asks for them. */
  private readonly byTag = new Map<string, FetchedManifest>();
  /** Scopes a registry asked for beyond `repository:NAME:pull`, per host and repository. */
  private readonly scopes = new Map<string, string>();

  constructor(options: RegistryClientOptions) {
    this.o = options;
  }

  /** Docker Hub's pull quota as the last answer from this registry stated it. */
  rateLimit(ref: Reference): RateLimit | undefined {
    return this.limits.get(ref.apiHost);
  }

  /** The digest a tag (or digest) names, by HEAD: it does not count against Docker Hub's pull limit. */
  async resolve(ref: Reference, signal?: AbortSignal): Promise<ResolvedManifest> {
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const { res } = await this.request(ref, `manifests/${reference}`, 'HEAD', { accept: MANIFEST_ACCEPT }, signal);
    if (!res.ok) throw await this.failure(res, ref, `manifest ${reference}`);
    await discard(res);
    const rateLimit = readRateLimit(res.headers);
    const header = res.headers.get('docker-content-digest');
    const mediaType = bareMediaType(res.headers.get('content-type'));
    const length = Number(res.headers.get('content-length') ?? NaN);
    // Digest in the reference: that is what we fetch and verify, whatever the header says.
    const digest = ref.digest ?? (isDigest(header) ? header : undefined);
    if (!digest) return this.resolveByGet(ref, reference, rateLimit, signal);
    return {
      digest,
      ...(mediaType ? { mediaType } : {}),
      ...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    };
  }

  /**
   * A registry whose HEAD names no digest (some proxies drop Docker-Content-Digest): the tag's
   * manifest by GET, its digest our own sha256 of the bytes, kept for the manifest() that follows.
   */
  private async resolveByGet(ref: Reference, tag: string, rateLimit: RateLimit | undefined, signal?: AbortSignal): Promise<ResolvedManifest> {
    const { res } = await this.request(ref, `manifests/${tag}`, 'GET', { accept: MANIFEST_ACCEPT }, signal);
    if (!res.ok) throw await this.failure(res, ref, `manifest ${tag}`);
    const bytes = await readBody(res, this.o.maxManifestBytes ?? MAX_MANIFEST_BYTES, `manifest ${tag} of ${ref.registry}/${ref.repository}`, signal);
    const h = await createSha256();
    h.update(bytes);
    const digest = h.digest();
    const mediaType = bareMediaType(res.headers.get('content-type'));
    this.byTag.set(`${ref.apiHost}/${ref.repository}@${digest}`, { digest, bytes, ...(mediaType ? { mediaType } : {}) });
    return { digest, size: bytes.byteLength, ...(mediaType ? { mediaType } : {}), ...(rateLimit ? { rateLimit } : {}) };
  }

  /** A manifest or index by digest, sha256 verified, at most maxManifestBytes. */
  async manifest(ref: Reference, digest: Digest, signal?: AbortSignal): Promise<FetchedManifest> {
    const key = `${ref.apiHost}/${ref.repository}@${digest}`;
    const held = this.byTag.get(key);
    if (held) { this.byTag.delete(key); return held; }
    const { res } = await this.request(ref, `manifests/${digest}`, 'GET', { accept: MANIFEST_ACCEPT }, signal);
    if (!res.ok) throw await this.failure(res, ref, `manifest ${digest}`);
    const what = `manifest ${digest} of ${ref.registry}/${ref.repository}`;
    const bytes = await readBody(res, this.o.maxManifestBytes ?? MAX_MANIFEST_BYTES, what, signal);
    await checkDigest(bytes, digest, what);
    const mediaType = bareMediaType(res.headers.get('content-type'));
    return { digest, bytes, ...(mediaType ? { mediaType } : {}) };
  }

  /**
   * A blob's bytes as a stream of exactly `size` bytes (or `to - from`): a registry or storage
   * that sends more or fewer fails the stream. The caller verifies the sha256 (the pipeline does,
   * while it indexes the layer).
   */
  async blob(ref: Reference, digest: Digest, size: number, opts: BlobOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const from = opts.from ?? 0;
    const to = Math.min(opts.to ?? size, size);
    const ranged = from > 0 || to < size;
    const extra: Record<string, string> = ranged ? { range: `bytes=${from}-${to - 1}` } : {};
    let hop: HopResult | undefined;
    // A presigned storage URL may have expired between the redirect and our request: the
    // registry hands out a fresh one when asked again.
    for (let attempt = 0; attempt < 2; attempt++) {
      hop = await this.request(ref, `blobs/${digest}`, 'GET', extra, opts.signal);
      if (!(hop.redirected && (hop.res.status === 401 || hop.res.status === 403) && attempt === 0)) break;
      await discard(hop.res);
    }
    const { res } = hop!;
    if (!res.ok) throw await this.failure(res, ref, `blob ${digest}`);
    const partial = res.status === 206;
    if (ranged && partial && !res.headers.get('content-range')?.startsWith(`bytes ${from}-`)) {
      await discard(res);
      throw new RegistryError('bad-response', `${ref.registry} answered bytes ${from}-${to - 1} of blob ${digest} with another range`);
    }
    const expected = partial || !ranged ? to - from : size;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (!Number.isNaN(declared) && declared !== expected) {
      await discard(res);
      throw new RegistryError('bad-response', `blob ${digest} of ${ref.registry}/${ref.repository} is ${declared} bytes where the manifest says ${expected}`);
    }
    const what = `blob ${digest} of ${ref.registry}/${ref.repository}`;
    return exactBytes(res.body ?? emptyStream(), expected, what, ranged && !partial ? { skip: from, take: to - from } : undefined);
  }

  /** One request to the registry, authorised, redirects followed; a 401 refreshes once. */
  private async request(ref: Reference, path: string, method: 'GET' | 'HEAD', extra: Record<string, string>, signal?: AbortSignal): Promise<HopResult> {
    const url = new URL(`${this.base(ref)}/v2/${ref.repository}/${path}`);
    const challenge = await this.ping(ref, signal);
    // A registry that asked for more than the pull scope once (a base mounted from another
    // repository) gets it from the start.
    const scopeKey = `${ref.apiHost}/${ref.repository}`;
    const scope = this.scopes.get(scopeKey) ?? `repository:${ref.repository}:pull`;
    const go = (header: string | undefined) => this.send(ref, url, method, { ...extra, ...(header ? { authorization: header } : {}) }, signal);
    const started = this.now();
    let auth = await this.authorise(ref, challenge, scope, false, signal);
    let hop = await go(auth.header);
    if (hop.res.status !== 401) return this.noted(ref, hop);
    // The token expired early, this resource needs another scope than the one we asked for, or
    // the registry let /v2/ through anonymously and challenges here. A token got for this very
    // request and the same scope would be refused again.
    const again = parseChallenge(hop.res.headers.get('www-authenticate')) ?? challenge;
    if (!again || (again.scheme === 'basic' && (auth.header || !this.o.credentials?.(ref.registry)))) return this.noted(ref, hop);
    const scope2 = again.scheme === 'bearer' ? again.scope ?? scope : scope;
    if (scope2 !== scope) this.scopes.set(scopeKey, scope2);
    if (!(again.scheme === 'bearer' && scope2 === scope && (auth.obtainedAt ?? -1) >= started)) {
      await discard(hop.res);
      // The same scope refused: that token is spent, ask again. A new scope: a cached token for it serves.
      auth = await this.authorise(ref, again, scope2, scope2 === scope, signal);
      hop = await go(auth.header);
    }
    if (hop.res.status === 401 && auth.usedCredentials && !auth.refused && again.scheme === 'bearer') {
      // Credentials the token service took but that do not reach this image: a public image is
      // still readable anonymously.
      await discard(hop.res);
      hop = await go((await this.bearer(ref, again, scope2, undefined, true, signal)).header);
    }
    return this.noted(ref, hop);
  }

  private noted(ref: Reference, hop: HopResult): HopResult {
    const limit = readRateLimit(hop.res.headers);
    if (limit && !hop.redirected) this.limits.set(ref.apiHost, limit);
    return hop;
  }

  private send(ref: Reference, url: URL, method: 'GET' | 'HEAD', headers: Record<string, string>, signal?: AbortSignal): Promise<HopResult> {
    return walk(url, 'registry', { method, headers, ...(signal ? { signal } : {}) }, {
      fetch: this.o.fetch,
      allowHttp: this.allowHttp(ref),
      what: `${ref.registry}/${ref.repository}`,
      ...(this.o.checkHop ? { checkHop: this.o.checkHop } : {}),
    });
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  private base(ref: Reference): string {
    return `${registryScheme(ref.apiHost, this.o.insecureHosts)}://${ref.apiHost}`;
  }

  private allowHttp(ref: Reference): boolean {
    return registryScheme(ref.apiHost, this.o.insecureHosts) === 'http';
  }

  /** `/v2/` once per host: 200 (no auth), or 401 and the challenge to answer. */
  private ping(ref: Reference, signal?: AbortSignal): Promise<Challenge | null> {
    let p = this.pings.get(ref.apiHost);
    if (!p) {
      p = this.doPing(ref, signal);
      this.pings.set(ref.apiHost, p);
      p.catch(() => this.pings.delete(ref.apiHost));
    }
    return p;
  }

  private async doPing(ref: Reference, signal?: AbortSignal): Promise<Challenge | null> {
    const { res } = await this.send(ref, new URL(`${this.base(ref)}/v2/`), 'GET', {}, signal);
    await discard(res);
    if (res.ok) return null;
    if (res.status === 401) {
      const c = parseChallenge(res.headers.get('www-authenticate'));
      if (!c) throw new RegistryError('bad-response', `${ref.registry} asks for authentication in a way we do not speak (neither Bearer nor Basic)`, { status: 401 });
      return c;
    }
    if (res.status === 429) throw await this.failure(res, ref, 'the API');
    if (res.status === 404) throw new RegistryError('not-found', `${ref.registry} does not serve the registry API (/v2/ answered 404): is this a registry?`, { status: 404 });
    throw new RegistryError(res.status >= 500 ? 'unreachable' : 'bad-response', `${ref.registry} answered /v2/ with HTTP ${res.status}${res.status >= 500 ? ': try again later' : ''}`, { status: res.status });
  }

  private async authorise(ref: Reference, c: Challenge | null, scope: string, fresh: boolean, signal?: AbortSignal): Promise<Authorised> {
    if (!c) return { usedCredentials: false, refused: false };
    const creds = this.anonymous.has(ref.apiHost) ? undefined : this.o.credentials?.(ref.registry);
    if (c.scheme === 'basic') {
      return creds ? { header: basicAuth(creds), usedCredentials: true, refused: false } : { usedCredentials: false, refused: false };
    }
    if (!creds) return { ...(await this.bearer(ref, c, scope, undefined, fresh, signal)), usedCredentials: false, refused: false };
    try {
      return { ...(await this.bearer(ref, c, scope, creds, fresh, signal)), usedCredentials: true, refused: false };
    } catch (e) {
      if (!(e instanceof RegistryError && e.code === 'unauthorized')) throw e;
      // Stale credentials: a public image still pulls anonymously. If it is not public, the
      // registry's 401 to the anonymous token reports the refusal.
      const anon = await this.bearer(ref, c, scope, undefined, fresh, signal);
      this.anonymous.add(ref.apiHost);
      return { ...anon, usedCredentials: true, refused: true };
    }
  }

  private bearer(ref: Reference, c: Extract<Challenge, { scheme: 'bearer' }>, scope: string, creds: Credentials | undefined, fresh: boolean, signal?: AbortSignal): Promise<Token> {
    const key = `${ref.apiHost}\n${c.realm}\n${c.service ?? ''}\n${scope}\n${creds ? creds.username : ''}`;
    const now = this.now();
    const cached = this.tokens.get(key);
    if (cached && !fresh) {
      return cached.then((t) => (t.expiresAt > this.now() ? t : this.bearer(ref, c, scope, creds, true, signal)));
    }
    const p = fetchToken({
      realm: c.realm, scope, registry: new URL(`${this.base(ref)}/v2/`), allowHttp: this.allowHttp(ref), fetch: this.o.fetch, now,
      ...(c.service !== undefined ? { service: c.service } : {}),
      ...(creds ? { credentials: creds } : {}),
      ...(this.o.checkHop ? { checkHop: this.o.checkHop } : {}),
      ...(signal ? { signal } : {}),
    });
    this.tokens.set(key, p);
    p.catch(() => { if (this.tokens.get(key) === p) this.tokens.delete(key); });
    return p;
  }

  private failure(res: Response, ref: Reference, what: string): Promise<RegistryError> {
    return registryFailure(res, ref, what, { hadCredentials: this.o.credentials?.(ref.registry) !== undefined, now: this.now() });
  }
}

async function readBody(res: Response, cap: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
  try {
    return await readCapped(res, cap, what, signal);
  } catch (e) {
    if (e instanceof RegistryError || signal?.aborted) throw e;
    throw new RegistryError('unreachable', `${what}: the connection broke while reading it`);
  }
}

export async function checkDigest(bytes: Uint8Array, digest: Digest, what: string): Promise<void> {
  const h = await createSha256();
  h.update(bytes);
  const got = h.digest();
  if (got !== digest) {
    throw new RegistryError('digest-mismatch', `${what} hashes to ${got}: the registry (or something between us) served other bytes than the digest names`);
  }
}
