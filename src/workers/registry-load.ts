// The engine's side of a pull by reference: a RegistryImageSource whose client talks to our
// server's proxy (registry-transport.ts), with each layer handed to the pool as an HttpByteSource
// (the proxy URL of its blob and the page's proxy headers), so a layer worker streams it from the
// proxy straight into the same pipeline a dropped file goes through. No credentials travel to the
// layer workers: the proxy keeps the ones typed for a host under this page's session.
import { parseReference, ReferenceParseError, RegistryClient, RegistryError, RegistryImageSource, type Credentials, type Reference } from '../core/registry';
import { HttpByteSource } from '../core/source/http-source';
import type { ByteSource, ImageSource, ListOptions, SourceListing } from '../core/source/types';
import type { LayerPlan } from '../core/image/layout';
import type { RateLimit } from '../core/registry/errors';
import type { RegistryCredentials, RegistryFailure } from './protocol';
import { createProxyTransport, proxyHeaders, proxyUrl } from './registry-transport';

/** This page's session at the proxy: one per engine worker, so per page load. */
const session = crypto.randomUUID();
/** apiHost -> what the user typed, in this worker's memory only. */
const typed = new Map<string, Credentials>();

export interface RegistryLoad {
  source: ImageSource;
  ref: Reference;
  /** After list(): what the tag resolved to, and the pull quota the registry reported. */
  resolved(): { digest: string; rateLimit?: RateLimit } | undefined;
}

export interface OpenReferenceOptions {
  platform?: string;
  credentials?: RegistryCredentials;
  /** Where the app is served from (the worker's own location by default). */
  base?: string;
  /** After the listing: what the tag resolved to and the registry's pull quota. */
  onResolved?: (r: { digest: string; rateLimit?: RateLimit }) => void;
}

export function openReference(reference: string, opts: OpenReferenceOptions = {}): RegistryLoad {
  const ref = parseReference(reference);
  if (opts.credentials) typed.set(opts.credentials.host, { username: opts.credentials.username, password: opts.credentials.password });
  const base = opts.base ?? self.location.href;
  const client = new RegistryClient({
    fetch: createProxyTransport({ session, base, credentials: (host) => typed.get(host) }),
  });
  const inner = new RegistryImageSource(client, ref, opts.platform ? { platform: opts.platform } : {});
  const registryUrl = new URL(`https://${ref.apiHost}/`);
  const resolved = () => {
    const r = inner.resolved;
    if (!r) return undefined;
    const rateLimit = inner.rateLimit;
    return { digest: r.digest, ...(rateLimit ? { rateLimit } : {}) };
  };
  const source: ImageSource = {
    name: inner.name,
    list: async (signal?: AbortSignal, _opts?: ListOptions): Promise<SourceListing> => {
      const listing = await inner.list(signal);
      const r = resolved();
      if (r) opts.onResolved?.(r);
      return listing;
    },
    read: (entry, signal) => inner.read(entry, signal),
    layer(plan: LayerPlan): ByteSource {
      if (!plan.digest || plan.declaredSize === undefined) return inner.layer(plan);
      const url = proxyUrl(new URL(`/v2/${ref.repository}/blobs/${plan.digest}`, registryUrl), base);
      return new HttpByteSource({ url, size: plan.declaredSize, headers: proxyHeaders(session) }, `layer ${plan.digest.slice(0, 19)} of ${inner.name}`);
    },
  };
  return { source, ref, resolved };
}

/** The failure in the page's terms, when it is a registry's (or a reference's). */
export function registryFailure(e: unknown): RegistryFailure | undefined {
  if (e instanceof ReferenceParseError) return { code: 'bad-reference', message: e.message };
  if (!(e instanceof RegistryError)) return undefined;
  return {
    code: e.code,
    message: e.message,
    ...(e.retryAfter !== undefined ? { retryAfter: e.retryAfter } : {}),
    ...(e.rateLimit ? { rateLimit: e.rateLimit } : {}),
  };
}
