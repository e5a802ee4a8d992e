// Package attribution: which installed package owns which bytes of the final filesystem.

export { shouldCapture, WHOLE_DB_CAP, PER_PACKAGE_CAP } from './capture';
export { attributePackages } from './attribute';
export { parseDpkgStatus, parseDpkgList, parseMd5sums, type DpkgEntry } from './dpkg';
export { parseRecord, parseMetadata, parseCsv } from './pip';
export { parseCondaMeta, type CondaRecord } from './conda';
export { parseApkInstalled, type ApkEntry } from './apk';
export { parsePackageJson } from './npm';
export type {
  AttributionInput, AttributionResult, CapturedFile, Ecosystem, FinalFile, InstalledPackage,
} from './types';
