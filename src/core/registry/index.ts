// The registry client: references, the pull-only client over an injected transport, and the image
// source the pipeline reads a registry image through.
export { parseReference, makeReference, isLoopbackHost, registryScheme, ReferenceParseError, DOCKER_HUB, DOCKER_HUB_API, type Reference } from './reference';
/** The first contract's name for ReferenceParseError; where imported it shadows the global ReferenceError. */
export { ReferenceParseError as ReferenceError } from './reference';
export { RegistryClient, MAX_MANIFEST_BYTES, type RegistryClientOptions, type ResolvedManifest, type FetchedManifest, type BlobOptions, type Credentials, type HopCheck, type HopKind, type RegistryFetch, type RegistryRequestInit } from './client';
export { RegistryError, isRegistryError, describeRateLimit, type RegistryErrorCode, type RateLimit } from './errors';
export { RegistryImageSource, type RegistryImageSourceOptions } from './image-source';
export { parseChallenge, type Challenge } from './challenge';
export { MANIFEST_ACCEPT } from './media-types';
