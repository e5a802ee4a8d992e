// Debian packages: `var/lib/dpkg/status` (deb822 paragraphs, one per package) with the file lists
// in `var/lib/dpkg/info/<name>[:<arch>].list`; distroless images instead keep one paragraph per
// file in `var/lib/dpkg/status.d/` and the file list as `<name>.md5sums`.

import { installLayerOf, type VersionMap } from './db-history';
import { parseParagraphs, resolvePath, splitLines } from './text';
import type { Candidate, ReadContext } from './types';

export interface DpkgEntry {
  name: string;
  version: string;
  arch?: string;
  /** Status is `install ok installed` (or absent, as in distroless' status.d). */
  installed: boolean;
  /** `Installed-Size`, in KiB as dpkg records it. */
  installedSizeKiB?: number;
}

export function parseDpkgStatus(text: string, warn: (message: string) => void): DpkgEntry[] {
  const out: DpkgEntry[] = [];
  const paragraphs = parseParagraphs(text, (line) => warn(`line ${line} is not a field`));
  for (const p of paragraphs) {
    const name = p.get('package');
    if (!name) {
      warn('paragraph without a Package field');
      continue;
    }
    const status = p.get('status');
    const size = Number(p.get('installed-size'));
    out.push({
      name,
      version: p.get('version') ?? '',
      arch: p.get('architecture') || undefined,
      // "want flag status": only the third word says whether the files are on disk.
      installed: status === undefined || status.split(/\s+/)[2] === 'installed',
      installedSizeKiB: Number.isFinite(size) && size >= 0 && p.has('installed-size') ? size : undefined,
    });
  }
  return out;
}

/** A `.list` file: one absolute path per line, directories included. Returns relative paths. */
export function parseDpkgList(text: string, warn: (message: string) => void): string[] {
  const out: string[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' || line === '/.') continue;
    const p = line.startsWith('/') ? resolvePath('', line) : null;
    if (p) out.push(p);
    else warn(`line ${i + 1} is not an absolute path`);
  }
  return out;
}

/** An `md5sums` file: `<md5>  <path relative to the root>` per line. */
export function parseMd5sums(text: string, warn: (message: string) => void): string[] {
  const out: string[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const m = /^[0-9a-fA-F]{32}\s+(.+)$/.exec(line);
    const p = m ? resolvePath('', m[1]!) : null;
    if (p) out.push(p);
    else warn(`line ${i + 1} is not "<md5>  <path>"`);
  }
  return out;
}

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';
const INFO = 'var/lib/dpkg/info/';

export function readDpkg(ctx: ReadContext): Candidate[] {
  const out: Candidate[] = [];
  const status = ctx.live.get(STATUS);
  if (status) {
    const warn = (m: string) => ctx.warn('dpkg-status', m, STATUS, status.layer);
    const layerOf = installLayerOf(ctx, STATUS, status.layer, installedVersions);
    for (const e of parseDpkgStatus(ctx.text(STATUS), warn)) {
      if (!e.installed) continue;
      const list = findList(ctx, e);
      out.push(candidate(ctx, e, list, list ? ctx.live.get(list)!.layer : layerOf(key(e), e.version), STATUS));
    }
  }
  for (const [path, cap] of ctx.live) {
    if (!path.startsWith(STATUS_D) || path.endsWith('.md5sums')) continue;
    const warn = (m: string) => ctx.warn('dpkg-status', m, path, cap.layer);
    for (const e of parseDpkgStatus(ctx.text(path), warn)) {
      if (!e.installed) continue;
      const sums = [`${path}.md5sums`, `${STATUS_D}${e.name}.md5sums`].find((p) => ctx.live.has(p));
      out.push(candidate(ctx, e, sums, cap.layer, path));
    }
  }
  return out;
}

function key(e: DpkgEntry): string {
  return e.arch ? `${e.name}:${e.arch}` : e.name;
}

function installedVersions(text: string): VersionMap {
  const m: VersionMap = new Map();
  for (const e of parseDpkgStatus(text, () => {})) if (e.installed) m.set(key(e), e.version);
  return m;
}

/** Multi-Arch: same packages name their list `<name>:<arch>.list`; the rest `<name>.list`. */
function findList(ctx: ReadContext, e: DpkgEntry): string | undefined {
  const qualified = e.arch ? `${INFO}${e.name}:${e.arch}.list` : undefined;
  if (qualified && ctx.live.has(qualified)) return qualified;
  const plain = `${INFO}${e.name}.list`;
  return ctx.live.has(plain) ? plain : undefined;
}

function candidate(ctx: ReadContext, e: DpkgEntry, list: string | undefined, layer: number, source: string): Candidate {
  let declared: string[] = [];
  if (list) {
    const warn = (m: string) => ctx.warn('dpkg-list', m, list, ctx.live.get(list)?.layer);
    declared = list.endsWith('.md5sums') ? parseMd5sums(ctx.text(list), warn) : parseDpkgList(ctx.text(list), warn);
  }
  return {
    name: e.name,
    version: e.version,
    ecosystem: 'deb',
    layer,
    source,
    declared,
    installedSize: e.installedSizeKiB === undefined ? undefined : e.installedSizeKiB * 1024,
  };
}
