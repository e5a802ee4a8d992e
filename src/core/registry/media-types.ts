// The manifest media types we pull (OCI image-spec "media-types.md"; Docker's image manifest v2
// schema 2 and manifest list). Schema 1 is not among them: registries answer it only to clients
// that ask for it.

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_SCHEMA1 = /^application\/vnd\.docker\.distribution\.manifest\.v1\+(?:prettyjws|json)$/;

export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');

export function isIndexType(t: string | undefined): boolean {
  return t === OCI_INDEX || t === DOCKER_LIST;
}

export function isManifestType(t: string | undefined): boolean {
  return t === OCI_MANIFEST || t === DOCKER_MANIFEST;
}

/** `application/json; charset=utf-8` -> `application/json`. */
export function bareMediaType(contentType: string | null): string | undefined {
  const t = contentType?.split(';')[0]?.trim().toLowerCase();
  return t ? t : undefined;
}
