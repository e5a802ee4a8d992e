// node:crypto's sha256 for the core when it runs under Node (see useSha256 in core/codec/hash.ts).
import { createHash } from 'node:crypto';
import { useSha256 } from '../core/codec/hash';
import { toDigest } from '../core/types';

export function useNodeSha256(): void {
  useSha256(() => {
    const h = createHash('sha256');
    return {
      update: (chunk) => { h.update(chunk); },
      digest: () => toDigest(h.digest('hex')),
    };
  });
}
