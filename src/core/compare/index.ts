// Comparing two images: layers aligned, files joined by path, packages, config, history, pull cost.
export { compareImages, pullCost, type CompareInput, type CompareOptions, type ImageComparison } from './compare-images';
export { byteDelta, compareReport, largestPaths, PATH_DEPTH, DIRECTORY_DEPTH } from './report';
export { compareMarkdown, MARKDOWN_BUDGET } from './markdown';
export { compareVersions } from './versions';
export { compileIgnore, isIgnored } from './glob';
export { alignLayers, type LayerRelation } from './align-layers';
export { diffFiles, PATH_CHANGE_NAMES, type FileDiff, type FileTotals } from './diff-files';
export * from './types';
export { ComparePathWindows, compareSummary, type CompareSummary, type PathWindow, type PathWindowRequest } from './windows';
