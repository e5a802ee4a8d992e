// The peer fixtures (dive's test images) live beside this checkout in ../shared. Tests that need
// them skip, saying so, when they are absent.
import { existsSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const DIVE_DIR = fileURLToPath(new URL('../../shared/fixtures/dive/', import.meta.url));
export const haveDive = existsSync(join(DIVE_DIR, 'test-docker-image.tar'));
export const SKIP_DIVE = haveDive ? '' : ` (skipped: ${DIVE_DIR} is absent)`;

export function diveFixture(name: string): Promise<Blob> {
  return openAsBlob(join(DIVE_DIR, name));
}

/** Third-party tar test files (Go, tar-rs, tar-stream, node-tar, libarchive): see its README.md. */
export const PEER_TAR_DIR = fileURLToPath(new URL('../../shared/fixtures/peer-tar/', import.meta.url));
export const havePeerTar = existsSync(join(PEER_TAR_DIR, 'README.md'));
export const SKIP_PEER_TAR = havePeerTar ? '' : ` (skipped: ${PEER_TAR_DIR} is absent)`;

export function peerTarFixture(name: string): Promise<Blob> {
  return openAsBlob(join(PEER_TAR_DIR, name));
}
