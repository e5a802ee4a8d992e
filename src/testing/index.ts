// Fixture writers: real container image archives for tests and the demo. Node-only.
export { writeTar, writeTarEntries, noise, letters, concatBytes, FIXED_MTIME, TAR_END } from './tar-writer';
export type { FileSpec, FileType } from './tar-writer';
export { buildLayer, layerMediaType, normalizeFiles, sha256, hexOf } from './layer';
export type { LayerSpec, LayerCompression, BuiltLayer, MediaTypeFlavor } from './layer';
export { buildImage, buildConfig, buildHistory, MEDIA } from './image';
export type { ImageSpec, ImageConfigSpec, EmptyStep, BuiltImage, Descriptor } from './image';
export { writeDockerSave, writeDockerSaveOci } from './docker-save';
export { writeOciLayout, writeKaniko } from './oci-layout';
export type { OciLayoutOptions } from './oci-layout';
export { writeEstargz, ESTARGZ_TOC_NAME, ESTARGZ_FOOTER_SIZE } from './estargz';
export { wrap, gzip, zstd } from './compress';
export { flipByte, truncate } from './corrupt';
export { DEBIAN_PACKAGES } from './demo-base';
export { COMPARE_V1, COMPARE_V2 } from './compare-images';
export { ML_V1, ML_V2, ML_LAYER } from './demo-ml';
