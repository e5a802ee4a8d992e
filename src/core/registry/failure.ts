// A registry's non-2xx answers as RegistryErrors whose messages say what a user can do. The error
// codes of distribution's JSON body pick the words; its free text is never shown.

import { describeRateLimit, RegistryError, readRateLimit, readRetryAfter } from './errors';
import { readCapped } from './http';
import type { Reference } from './reference';

/** The error for a registry's non-2xx answer, in words that say what to do. */
export async function registryFailure(res: Response, ref: Reference, what: string, ctx: { hadCredentials: boolean; now: number }): Promise<RegistryError> {
  const codes = await errorCodes(res);
  const name = ref.repository;
  const status = { status: res.status };
  switch (res.status) {
    case 401:
      return ctx.hadCredentials
        ? new RegistryError('unauthorized', `${ref.registry} refused the credentials for ${name}: check the username and the password or token`, status)
        : new RegistryError('unauthorized', `${ref.registry} wants credentials to pull ${name} (or it does not exist): give a username and a password or token`, status);
    case 403:
      return new RegistryError('denied', `${ref.registry} denied pulling ${name}: these credentials have no pull access to it`, status);
    case 404:
      return new RegistryError('not-found', notFoundMessage(ref, what, codes), status);
    case 429: {
      const rateLimit = readRateLimit(res.headers);
      const retryAfter = readRetryAfter(res.headers, ctx.now);
      return new RegistryError('rate-limited', `${ref.registry} rate limit reached${rateLimit ? ` (${describeRateLimit(rateLimit)})` : ''}: try again${retryAfter !== undefined ? ` in ${retryAfter} s` : ' later'}, or log in for a higher limit`, {
        ...status, ...(rateLimit ? { rateLimit } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}),
      });
    }
    default:
      return res.status >= 500
        ? new RegistryError('unreachable', `${ref.registry} failed to serve ${what} of ${name} (HTTP ${res.status}): try again later`, status)
        : new RegistryError('bad-response', `${ref.registry} answered ${what} of ${name} with HTTP ${res.status}`, status);
  }
}

function notFoundMessage(ref: Reference, what: string, codes: string[]): string {
  const name = `${ref.registry}/${ref.repository}`;
  if (codes.includes('NAME_UNKNOWN')) return `${ref.registry} has no repository ${ref.repository}: check the name`;
  if (what.startsWith('blob')) return `${name} lacks ${what}: the registry lost a layer of this image`;
  if (!what.startsWith('manifest sha256:')) return `${ref.registry} has no ${ref.repository}:${ref.tag}: check the repository name and the tag`;
  return `${ref.registry} has no ${what} in ${ref.repository}: check the repository name and the digest`;
}

/** The distribution error codes of an answer (`{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`); their text is not shown. */
async function errorCodes(res: Response): Promise<string[]> {
  try {
    const body = await readCapped(res, 64 * 1024, 'an error answer');
    const doc = JSON.parse(new TextDecoder().decode(body)) as { errors?: { code?: unknown }[] };
    return (Array.isArray(doc.errors) ? doc.errors : []).map((e) => e?.code).filter((c): c is string => typeof c === 'string' && /^[A-Z_]{1,64}$/.test(c));
  } catch {
    return [];
  }
}
