// The other side of ByteSource.portable(): a worker opens the source it was posted.

import { BlobByteSource } from './blob-source';
import { HttpByteSource } from './http-source';
import type { ByteSource, PortableSource } from './types';

export function openPortable(p: PortableSource): ByteSource {
  switch (p.kind) {
    case 'blob': return new BlobByteSource(p.blob);
    case 'url': return new HttpByteSource({ url: p.url, size: p.size, headers: p.headers }, p.what);
  }
}
