// Reading one file's bytes out of an image's layers without holding them (issue 15).
export type { FileContent, FileContentRequest, ContentHow, ContentType, ContentCheck, TextEncoding, ContentProgress } from './types';
export { readFileContent, WHOLE_FILE_LIMIT, type ReadFileOptions } from './read-file';
export { readBody, type LayerBytes, type BodyWindow } from './read-body';
export { sniffContent, SNIFF_BYTES } from './sniff-type';
export { ContentError, type ContentErrorCode } from './errors';
export type { RestartPoints, RestartPoint } from './restart-points';
export { layerBytesOf } from './archive-layers';
export { GzipCheckpoints, gzipCheckpointsOf } from './gzip-checkpoints';
