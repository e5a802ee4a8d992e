// Findings: where an image's bytes could be saved, with the Dockerfile change that saves them.

export { findWaste } from './waste';
export { classifyPath, isBuildPackage, MODEL_WEIGHTS_MIN } from './classify';
export { cudaLibrary, gpuEvidence } from './cuda';
export { cleanStep } from './fixes';
export { findCaching, type CachingLayer } from './caching';
export type { CachingKind, Finding, FindingKind, WasteKind, PackageRef, RemovedFile, RunConfig, WasteFile, WasteInput } from './types';
