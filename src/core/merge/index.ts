// Merging an image's layers into one filesystem, with change sets and views per layer.

export { mergeLayers } from './merge-layers';
export { MergedImage, FINAL, type View, type NodeInfo, type DirTotals, type MergeState } from './merged-image';
export { Change, CHANGE_NAMES, type ChangeName } from './events';
export { formatLs } from './ls';
export { ROOT } from './node-table';
export type { WriteAttributes } from './describe';
