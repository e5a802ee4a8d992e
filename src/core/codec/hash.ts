// Hashing: sha256 for blob digests and diff_ids (must match the registry bit for bit), and a cheap
// 64-bit identity hash per file for duplicate detection and layer diffs.
//
// sha256: hash-wasm, because crypto.subtle.digest (1,081 MB/s in Chromium) takes one whole buffer
// and cannot hash a multi-GB layer incrementally; hash-wasm does 435 MB/s there (MEASUREMENTS.md).
// Per-file identity: xxh64 over xxh3. Measured with hash-wasm 4 in Node 20 (bench/codec.ts):
// xxh64 3,550 MB/s whole buffer vs xxh3 2,326; on 200-byte files 0.61 vs 1.02 us per file; equal at
// 2 KB. Chromium measured both at 1,502 MB/s per file. 64 bits make a chance collision among a
// million files ~3e-8; duplicates are confirmed by size as well.
import { createSHA256, createXXHash64, type IHasher } from 'hash-wasm';
import { toDigest, type Digest } from '../types';

export interface Sha256 {
  update(chunk: Uint8Array): void;
  /** `sha256:<hex>`. The hasher cannot be used afterwards. */
  digest(): Digest;
}

/** A platform sha256 to use instead of hash-wasm (the CLI passes node:crypto's, ~5x faster there). */
export type Sha256Factory = () => Sha256;
let platformSha256: Sha256Factory | undefined;

/**
 * Node's V8 keeps hash-wasm's long-running sha256 loop in its baseline wasm tier (measured here:
 * ~55 MB/s, ~100 MB/s with --no-liftoff, against node:crypto's ~290 MB/s), so Node entries register
 * node:crypto. Core itself stays free of Node modules.
 */
export function setSha256Factory(factory: Sha256Factory | undefined): void {
  platformSha256 = factory;
}

export async function createSha256(): Promise<Sha256> {
  if (platformSha256) return platformSha256();
  const h: IHasher = await createSHA256();
  h.init();
  return {
    update: (chunk) => { h.update(chunk); },
    digest: () => toDigest(h.digest('hex')),
  };
}

/** A 64-bit hash as two unsigned 32-bit halves, ready for a pair of Uint32Array columns. */
export interface ContentHash { hi: number; lo: number }

/** One hasher reused for every file of a layer: init/update/digest per file, no allocation per chunk. */
export interface ContentHasher {
  init(): void;
  update(chunk: Uint8Array): void;
  digest(): ContentHash;
}

export async function createContentHasher(): Promise<ContentHasher> {
  const h: IHasher = await createXXHash64();
  return {
    init: () => { h.init(); },
    update: (chunk) => { h.update(chunk); },
    digest: () => {
      // hash-wasm returns xxh64's canonical big-endian byte order.
      const b = h.digest('binary');
      return {
        hi: ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0,
        lo: ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0,
      };
    },
  };
}
