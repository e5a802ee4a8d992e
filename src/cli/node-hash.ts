// node:crypto's sha256 for the core when it runs under Node (see setSha256Factory in core/codec/hash.ts).
import { createHash } from 'node:crypto';
import { setSha256Factory } from '../core/codec/hash';
import { toDigest } from '../core/types';

export function installNodeSha256(): void {
  setSha256Factory(() => {
    const h = createHash('sha256');
    return {
      update: (chunk) => { h.update(chunk); },
      digest: () => toDigest(h.digest('hex')),
    };
  });
}
