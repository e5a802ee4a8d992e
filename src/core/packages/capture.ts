// Which tar entries the indexer keeps the bytes of, so packages can be attributed once the final
// filesystem is known. Called for every entry of every layer (millions), so each test starts from
// the basename or suffix and does at most a few string compares before saying no.

const MiB = 1024 * 1024;
/**
 * One file describes every package (dpkg status, apk's installed db): a few MiB on a large Ubuntu
 * image, so 16 MiB keeps all real ones while bounding memory if a layer holds junk by that name.
 */
export const WHOLE_DB_CAP = 16 * MiB;
/**
 * One file per package (RECORD, METADATA, .list, conda-meta JSON, package.json): the largest real
 * ones (torch's RECORD, big conda-meta JSONs) are ~2 MiB; thousands may be held at once.
 */
export const PER_PACKAGE_CAP = 4 * MiB;

const DPKG_INFO = 'var/lib/dpkg/info/';
const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';

export function shouldCapture(path: string, size: number): boolean {
  if (size > WHOLE_DB_CAP) return false;
  const slash = path.lastIndexOf('/');
  if (slash < 0) return false;
  const base = path.slice(slash + 1);
  switch (base) {
    case 'status':
      if (path === 'var/lib/dpkg/status') return true;
      break;
    case 'installed':
      if (path === 'lib/apk/db/installed') return true;
      break;
    case 'RECORD':
    case 'METADATA':
      return size <= PER_PACKAGE_CAP && isDistInfoFile(path, slash);
    case 'package.json':
      return size <= PER_PACKAGE_CAP && isNodePackageJson(path, slash);
  }
  if (size > PER_PACKAGE_CAP) return false;
  if (base.endsWith('.list')) return slash === DPKG_INFO.length - 1 && path.startsWith(DPKG_INFO);
  if (base.endsWith('.json')) return parentName(path, slash) === 'conda-meta';
  // Distroless keeps one paragraph per package in `status.d/<name>` (plus `<name>.md5sums`).
  return slash === DPKG_STATUS_D.length - 1 && path.startsWith(DPKG_STATUS_D);
}

/** Name of the directory holding the entry whose basename starts at slash + 1. */
function parentName(path: string, slash: number): string {
  return path.slice(path.lastIndexOf('/', slash - 1) + 1, slash);
}

/** `.../site-packages/<name>.dist-info/RECORD` (or dist-packages, Debian's name for it). */
function isDistInfoFile(path: string, slash: number): boolean {
  const start = path.lastIndexOf('/', slash - 1);
  if (start < 0 || !path.endsWith('.dist-info', slash)) return false;
  const grand = parentName(path, start);
  return grand === 'site-packages' || grand === 'dist-packages';
}

/**
 * A package's own manifest: `node_modules/<name>/package.json` or
 * `node_modules/@scope/<name>/package.json`, not the test fixtures and sub-manifests packages ship
 * deeper inside themselves.
 */
function isNodePackageJson(path: string, slash: number): boolean {
  const s1 = path.lastIndexOf('/', slash - 1); // before <name>
  if (s1 < 0) return false;
  const name = path.slice(s1 + 1, slash);
  if (name.startsWith('.') || name.startsWith('@')) return false;
  const s2 = path.lastIndexOf('/', s1 - 1);
  const above = path.slice(s2 + 1, s1);
  if (above === 'node_modules') return true;
  if (!above.startsWith('@') || s2 < 0) return false;
  const s3 = path.lastIndexOf('/', s2 - 1);
  return path.slice(s3 + 1, s2) === 'node_modules';
}
