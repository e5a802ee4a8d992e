// Where the registry proxy may go. A pull is a chain of hops that starts at the registry the page
// named (`/registry/<host>/v2/...`) and may move to a token realm (Docker's token spec) and through
// redirects (blob storage). Every hop is checked twice: its URL here before the request, and the
// address actually connected to (safe-fetch.ts) so a name cannot change its answer in between.
//
// Rules (issue 11, "The proxy in our Node server"):
// - http(s) only, no userinfo in a URL;
// - https unless the chain's registry is one the operator allowed over http;
// - loopback and private addresses only for hosts the operator allowed (`--allow-registry`), and
//   only when the chain started at an allowed registry: a public registry never moves a pull into
//   private space, even into an allowed host;
// - never a forbidden address (address-policy.ts), allowed or not.
import { RegistryError } from '../core/registry';
import { classifyAddress, type AddressClass } from './address-policy';

export type HopKind = 'registry' | 'realm' | 'redirect';

/**
 * A refused hop: the proxy answers 403 with this message (it names hosts, never credentials). A
 * RegistryError so the client passes it on as it is, rather than as "could not reach".
 */
export class HopRefused extends RegistryError {
  constructor(message: string) {
    super('unreachable', message);
    this.name = 'HopRefused';
  }
}

export interface AllowEntry {
  /** Lowercase host name or IP literal (IPv6 in brackets, as URL.hostname writes it). */
  hostname: string;
  /** When given, only this port. */
  port?: number;
  /** 'http' when written `http://host:port`: the registry speaks plain http. */
  scheme?: 'http' | 'https';
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Docker's rule: a loopback registry is spoken to over plain http unless told otherwise. */
export function isLoopbackName(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname) || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
}

/** Parses `--allow-registry` values: `HOST`, `HOST:PORT`, `http://HOST:PORT`, `[v6]:PORT`. */
export function parseAllowEntry(text: string): AllowEntry {
  const scheme = /^(https?):\/\//i.exec(text)?.[1]?.toLowerCase() as 'http' | 'https' | undefined;
  const rest = scheme ? text.slice(scheme.length + 3) : text;
  if (!rest || /[/@?#\s]/.test(rest)) throw new Error(`--allow-registry ${text}: expected HOST[:PORT] or http://HOST[:PORT]`);
  let url: URL;
  try {
    url = new URL(`${scheme ?? 'https'}://${rest}`);
  } catch {
    throw new Error(`--allow-registry ${text}: not a host name or address`);
  }
  const hasPort = /:\d+$/.test(rest);
  return { hostname: url.hostname, port: hasPort ? Number(url.port || (scheme === 'http' ? 80 : 443)) : undefined, scheme };
}

export class AllowList {
  constructor(readonly entries: AllowEntry[] = []) {}

  static parse(values: string[]): AllowList {
    return new AllowList(values.map(parseAllowEntry));
  }

  match(hostname: string, port: number): AllowEntry | undefined {
    return this.entries.find((e) => e.hostname === hostname && (e.port === undefined || e.port === port));
  }
}

/** The registry a chain starts at, as the proxy will reach it. */
export interface ChainOrigin {
  url: URL;
  allowed: boolean;
}

/** The scheme and URL the proxy uses for `host[:port]` taken from a page path. */
export function registryOrigin(allow: AllowList, host: string): ChainOrigin {
  const probe = new URL(`https://${host}`);
  const port = probe.port ? Number(probe.port) : undefined;
  const entry = allow.entries.find((e) => e.hostname === probe.hostname && (e.port === undefined || port === undefined || e.port === port));
  const scheme = entry?.scheme ?? (isLoopbackName(probe.hostname) ? 'http' : 'https');
  const url = new URL(`${scheme}://${host}/`);
  return { url, allowed: allow.match(url.hostname, effectivePort(url)) !== undefined };
}

export class HopPolicy {
  constructor(readonly allow: AllowList, readonly origin: ChainOrigin) {}

  private allowedHost(url: URL): boolean {
    return this.allow.match(url.hostname, effectivePort(url)) !== undefined;
  }

  /** URL checks before a request. Throws HopRefused. */
  checkUrl(to: URL, kind: HopKind): void {
    const where = kind === 'registry' ? 'registry' : kind === 'realm' ? 'token realm' : 'redirect';
    if (to.protocol !== 'https:' && to.protocol !== 'http:') throw new HopRefused(`${where} ${to.protocol} URL refused: only http(s)`);
    if (to.username || to.password) throw new HopRefused(`${where} to ${to.host} refused: user names and passwords in URLs are not followed`);
    const literal = classifyAddress(to.hostname);
    if (literal) this.checkClass(to, literal.cls, literal.what, where);
    if (to.protocol === 'http:') {
      const httpOrigin = this.origin.allowed && this.origin.url.protocol === 'http:';
      if (!httpOrigin) throw new HopRefused(`${where} to http://${to.host} refused: plain http only for a registry allowed with --allow-registry http://HOST:PORT (or a loopback one)`);
    }
  }

  /** The address a connection reached (from DNS or the socket). Throws HopRefused. */
  checkAddress(to: URL, address: string, kind: HopKind): void {
    const c = classifyAddress(address);
    const where = kind === 'registry' ? 'registry' : kind === 'realm' ? 'token realm' : 'redirect';
    if (!c) throw new HopRefused(`${where} ${to.host}: no usable address`);
    this.checkClass(to, c.cls, c.what, where, address);
  }

  private checkClass(to: URL, cls: AddressClass, what: string, where: string, address?: string): void {
    const at = address && address !== to.hostname ? ` (${address})` : '';
    if (cls === 'forbidden') throw new HopRefused(`${where} ${to.host}${at} refused: ${what} addresses are never contacted`);
    if (cls === 'private') {
      if (!this.allowedHost(to)) throw new HopRefused(`${where} ${to.host}${at} refused: a ${what} address; start the server with --allow-registry ${to.host} to allow it`);
      if (!this.origin.allowed) throw new HopRefused(`${where} ${to.host}${at} refused: the public registry ${this.origin.url.host} may not send a pull into a ${what} address`);
    }
  }
}
