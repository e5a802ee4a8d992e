// Image references as Docker reads them (distribution/reference, "grammar"):
//
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [ domain "/" ] path-component [ "/" path-component ]*
//   domain     := host [ ":" port ]      host: domain-name | IPv4 | "[" IPv6 "]"
//   path-component := [a-z0-9]+ ( ( [._] | "__" | "-"+ ) [a-z0-9]+ )*
//   tag        := [\w][\w.-]{0,127}
//
// The first component is a domain only if it has a "." or ":" or is "localhost" (or has upper
// case, which a path component may not: Docker's splitDockerDomain); otherwise the image is on
// Docker Hub, `docker.io`, whose API host is `registry-1.docker.io` and whose one-component names
// live under `library/`. A name (domain included) is at most 255 characters.

import { isDigest, type Digest } from '../types';

export interface Reference {
  /** The registry as typed (`registry.example.com`, `127.0.0.1:5000`), `docker.io` for Docker Hub. */
  readonly registry: string;
  /** The host[:port] the API is served from (`registry-1.docker.io` for `docker.io`). */
  readonly apiHost: string;
  /** The repository inside the registry (`library/python`, `org/team/img`). */
  readonly repository: string;
  /** `latest` when neither a tag nor a digest was given. */
  readonly tag?: string;
  readonly digest?: Digest;
  /** `registry/repository[:tag][@digest]`, the fully qualified form. */
  toString(): string;
}

export class ReferenceParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceParseError';
  }
}

export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API = 'registry-1.docker.io';
const MAX_NAME = 255;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST_RE = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::([0-9]+))?$`);

export function parseReference(text: string): Reference {
  const input = text.trim();
  if (input === '') throw new ReferenceParseError('the reference is empty: type an image such as python:3.12-slim');
  if (/\s|[\u0000-\u001f\u007f]/.test(input)) throw new ReferenceParseError('a reference has no spaces or control characters');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    throw new ReferenceParseError(`a reference has no scheme: write ${input.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}`);
  }
  const at = input.indexOf('@');
  const namePart = at === -1 ? input : input.slice(0, at);
  const digest = at === -1 ? undefined : parseDigest(input.slice(at + 1));

  const slash = namePart.lastIndexOf('/');
  const colon = namePart.lastIndexOf(':');
  const hasTag = colon > slash;
  const name = hasTag ? namePart.slice(0, colon) : namePart;
  const tag = hasTag ? namePart.slice(colon + 1) : undefined;
  if (tag === '') throw new ReferenceParseError(`"${clip(input)}" has a ":" with no tag after it`);
  if (tag !== undefined && !TAG_RE.test(tag)) {
    throw new ReferenceParseError(`tag "${clip(tag)}" is not valid: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`);
  }
  if (name === '') throw new ReferenceParseError('the reference has no repository name');
  if (name.length > MAX_NAME) throw new ReferenceParseError(`the repository name is ${name.length} characters; at most ${MAX_NAME} are allowed`);

  const { registry, path } = splitDomain(name);
  const components = path.split('/');
  for (const c of components) {
    if (c === '') throw new ReferenceParseError(`"${clip(name)}" has an empty path component (two slashes, or one at an end)`);
    if (c !== c.toLowerCase() && PATH_COMPONENT_RE.test(c.toLowerCase())) {
      throw new ReferenceParseError(`repository names are lower case: "${clip(c)}" has capitals`);
    }
    if (!PATH_COMPONENT_RE.test(c)) {
      throw new ReferenceParseError(`"${clip(c)}" is not a valid repository path component: lower-case letters and digits, separated by ".", "_", "__" or "-"`);
    }
  }
  const repository = registry === DOCKER_HUB && components.length === 1 ? `library/${path}` : path;
  return makeReference({
    registry,
    apiHost: registry === DOCKER_HUB ? DOCKER_HUB_API : registry,
    repository,
    ...(tag !== undefined ? { tag } : digest ? {} : { tag: 'latest' }),
    ...(digest ? { digest } : {}),
  });
}

export function makeReference(parts: Omit<Reference, 'toString'>): Reference {
  const ref = { ...parts };
  return Object.freeze({
    ...ref,
    toString: () => `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`,
  });
}

/** Docker's splitDockerDomain: is the first component a registry host? */
function splitDomain(name: string): { registry: string; path: string } {
  const i = name.indexOf('/');
  const first = i === -1 ? '' : name.slice(0, i);
  const isDomain = i !== -1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  if (!isDomain) return { registry: DOCKER_HUB, path: name };
  const m = HOST_RE.exec(first);
  if (!m) throw new ReferenceParseError(`"${clip(first)}" is not a valid registry host[:port]`);
  if (m[1] !== undefined && (Number(m[1]) < 1 || Number(m[1]) > 65535)) {
    throw new ReferenceParseError(`port ${m[1]} of "${clip(first)}" is not between 1 and 65535`);
  }
  // Docker's legacy name for the Hub (docker/reference normalize.go).
  const registry = first === 'index.docker.io' ? DOCKER_HUB : first;
  return { registry, path: name.slice(i + 1) };
}

function parseDigest(text: string): Digest {
  if (isDigest(text)) return text;
  if (/^sha256:/i.test(text)) throw new ReferenceParseError('a sha256 digest is "sha256:" and 64 lower-case hex digits');
  throw new ReferenceParseError(`digest "${clip(text)}" is not supported: only sha256:<64 hex digits>`);
}

/** Loopback hosts may be spoken to over plain http; everything else only over https. */
export function isLoopbackHost(hostPort: string): boolean {
  const host = hostPort.replace(/:[0-9]+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The scheme to reach a registry: http only for loopback or hosts the user named insecure. */
export function registryScheme(apiHost: string, insecureHosts: readonly string[] = []): 'http' | 'https' {
  return isLoopbackHost(apiHost) || insecureHosts.includes(apiHost) ? 'http' : 'https';
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
