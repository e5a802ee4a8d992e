// `npm run analyze -- REFERENCE`: the image straight from its registry, no proxy, no daemon. The
// same RegistryImageSource the page uses, over Node's fetch with redirects left to the client.

import { readImages, type ArchiveResult } from '../core/pipeline/read-archive';
import { RegistryClient, RegistryError, RegistryImageSource, ReferenceParseError, describeRateLimit, parseReference, type Reference, type RegistryFetch } from '../core/registry';
import { printable } from '../core/registry/errors';
import { findCredentials } from './registry-auth';

/** No answer (status line and headers) within this long: the registry is unreachable. */
const FIRST_BYTE_MS = 30_000;

/** Node's fetch, one hop at a time: the client follows redirects itself and drops credentials. */
export const nodeTransport: RegistryFetch = async (url, init) => {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${FIRST_BYTE_MS / 1000} s`)), FIRST_BYTE_MS);
  try {
    return await fetch(url, {
      method: init.method,
      headers: init.headers,
      redirect: 'manual',
      signal: init.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal,
    });
  } finally {
    clearTimeout(timer);
  }
};

/** An argument that names a file by its shape: a path, not a reference, even when it is missing. */
export function looksLikePath(arg: string): boolean {
  return /^(?:\/|\.{1,2}\/|~)/.test(arg) || /\.(?:tar|tgz|tar\.gz|tar\.zst|tzst|oci)$/i.test(arg);
}

export interface OpenedRegistryImage {
  ref: Reference;
  source: RegistryImageSource;
  /** Lines for stderr: where credentials came from. */
  notes: string[];
}

export async function openRegistryImage(text: string, opts: { platform?: string; env?: NodeJS.ProcessEnv } = {}): Promise<OpenedRegistryImage> {
  const ref = parseReference(text);
  const found = await findCredentials(ref.registry, ref.repository, opts.env ?? process.env);
  const notes = found ? [`credentials for ${ref.registry} from ${found.source}`] : [];
  const client = new RegistryClient({
    fetch: nodeTransport,
    credentials: (host) => (host === ref.registry ? found?.credentials : undefined),
  });
  return { ref, source: new RegistryImageSource(client, ref, opts.platform ? { platform: opts.platform } : {}), notes };
}

/** A line for stderr after a load: Docker Hub's remaining pulls, when the registry said. */
export function rateLimitNote(source: RegistryImageSource): string | undefined {
  const r = source.rateLimit;
  return r ? `${source.ref.registry}: ${describeRateLimit(r)}` : undefined;
}

/** What the CLI adds to a registry error: where it looked for credentials. */
export function explainRegistryError(e: unknown, ref: Reference | undefined): string | undefined {
  if (!(e instanceof RegistryError) || !ref) return undefined;
  if (e.code === 'unauthorized') {
    return `${e.message} (strata reads them from $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, $DOCKER_CONFIG/config.json or ~/.docker/config.json: log in with \`skopeo login ${ref.registry}\` or \`docker login ${ref.registry}\`)`;
  }
  return e.message;
}

export interface RegistryReadOptions {
  platform?: string;
  verify: boolean;
  env?: NodeJS.ProcessEnv;
  /** Lines for stderr (where credentials came from, pulls left). */
  note: (line: string) => void;
}

/**
 * Reads REFERENCE through the pipeline, as readArchive reads a file. Returns the result, or the
 * message to exit with when the reference is not valid or the registry says no.
 */
export async function readRegistryImage(text: string, opts: RegistryReadOptions): Promise<ArchiveResult | string> {
  let opened: OpenedRegistryImage | undefined;
  try {
    opened = await openRegistryImage(text, { ...(opts.platform ? { platform: opts.platform } : {}), ...(opts.env ? { env: opts.env } : {}) });
    for (const n of opened.notes) opts.note(n);
    const result = await readImages(opened.source, {
      name: opened.ref.toString(),
      verify: opts.verify,
      ...(opts.platform ? { platform: opts.platform } : {}),
    });
    const limit = rateLimitNote(opened.source);
    if (limit) opts.note(limit);
    return result;
  } catch (e) {
    if (e instanceof ReferenceParseError) return `${printable(text, 120)}: no such file, and not an image reference: ${e.message}`;
    const explained = explainRegistryError(e, opened?.ref);
    if (explained) return explained;
    throw e;
  }
}
