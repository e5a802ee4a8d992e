// Public surface of the codec layer: sniffing, streaming decompression, hashing.
export { sniffCompression } from './sniff';
export { CodecError, type CodecErrorCode } from './errors';
export { decompressStream, decodeStream, type DecompressOptions } from './stream';
export type { PushDecoder } from './push-decoder';
export { createZstdDecoder } from './zstd';
export { createPakoGzipDecoder } from './gzip-pako';
export { createZranGzipDecoder, type DeflateCheckpoint, type ZranStart, type ZranOptions } from './gzip-zran';
export { createSha256, createContentHasher, setSha256Factory, type Sha256, type Sha256Factory, type ContentHasher, type ContentHash } from './hash';
