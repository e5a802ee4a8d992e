// Streaming and random-access tar header walkers (POSIX ustar/pax, GNU, V7; sparse; base-256).
export type { BodySink, TarEntry, TarEntryType, TarVisitor, TarWarning } from './types';
export { TarWalker } from './walker';
export { readTarHeadersAt, type ReadAt } from './random-access';
export { looksLikeTarHeader } from './fields';
export { normalisePath } from './normalise-path';
export { tarHeader, tarPadding, TAR_END_BLOCKS, type TarWriteEntry, type TarWriteType } from './tar-writer';
