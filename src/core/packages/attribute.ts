// Attribute every file of the final filesystem to the package that installed it, from the package
// databases the indexer captured. One pass over the files with a path -> owner Map built once, so
// 300k files cost 300k Map lookups; the owner of each file goes to a column by its row, so no path
// string is kept per file.

import type { Warning } from '../types';
import { readApk } from './apk';
import { readConda } from './conda';
import { readDpkg } from './dpkg';
import { npmOwnerOf, readNpm } from './npm';
import { readPip } from './pip';
import { decodeText, WarningSink } from './text';
import type {
  AttributionInput, AttributionResult, CapturedFile, Candidate, FinalFile, FinalFileColumns, InstalledPackage, ReadContext,
} from './types';

/**
 * A file two packages claim counts for the first reader in this order, then for the first package
 * in database order (dpkg status order; other databases by path). System package managers come
 * first because they installed the interpreter the others run in; conda before pip because a conda
 * package also ships the dist-info pip would read, and it is conda that installed it.
 */
const READERS = [readDpkg, readApk, readConda, readPip, readNpm];

/** Merged-/usr (Debian 12, Ubuntu 22.04+): `/lib` is a symlink to `usr/lib` but `.list` files still say `/lib/...`. */
const USRMERGE = /^usr\/(?:bin|sbin|lib|lib32|lib64|libx32)\//;

export function attributePackages(input: AttributionInput): AttributionResult {
  const warnings: Warning[] = [];
  const sink = new WarningSink(warnings);
  const wanted = new Set(input.captures.map((c) => c.path));
  const files = fileColumns(input.files);
  const ctx = readContext(input.captures, captureLayers(files, wanted), sink);
  const cands = READERS.flatMap((read) => read(ctx));

  const { ownerOf, dropped } = ownership(cands);

  const bytes = new Float64Array(cands.length);
  const count = new Float64Array(cands.length);
  const fileOwners = new Int32Array(files.count).fill(-1);
  const unowned = { bytes: 0, files: 0 };
  for (let i = 0; i < files.count; i++) {
    const size = files.size[i]!;
    const o = ownerOf(files.path(i));
    if (o === undefined) {
      unowned.bytes += size;
      unowned.files++;
    } else {
      bytes[o] = bytes[o]! + size;
      count[o] = count[o]! + 1;
      fileOwners[i] = o;
    }
  }

  const packages = cands.map((c, i) => toPackage(c, bytes[i]!, count[i]!));
  const order = packages.map((_, i) => i).filter((i) => !dropped[i]);
  order.sort((a, b) => compare(packages[a]!, packages[b]!));
  const rank = new Int32Array(cands.length);
  order.forEach((c, r) => (rank[c] = r));
  for (let i = 0; i < fileOwners.length; i++) if (fileOwners[i]! >= 0) fileOwners[i] = rank[fileOwners[i]!]!;
  return { packages: order.map((i) => packages[i]!), unowned, owners: ownersByPath(files, fileOwners), fileOwners, warnings };
}

/** Objects become columns (small inputs: tests and callers with a list of their own). */
function fileColumns(files: Iterable<FinalFile> | FinalFileColumns): FinalFileColumns {
  if (typeof (files as FinalFileColumns).path === 'function') return files as FinalFileColumns;
  const list = [...(files as Iterable<FinalFile>)];
  return { count: list.length, size: list.map((f) => f.size), layer: list.map((f) => f.layer), path: (i) => list[i]!.path };
}

/** Final layer of each captured path still present (owners depend on which captures survive). */
function captureLayers(files: FinalFileColumns, wanted: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  if (wanted.size === 0) return out;
  if (files.rowOf) {
    for (const path of wanted) {
      const row = files.rowOf(path);
      if (row >= 0) out.set(path, files.layer[row]!);
    }
    return out;
  }
  for (let i = 0; i < files.count; i++) {
    const path = files.path(i);
    if (wanted.has(path)) out.set(path, files.layer[i]!);
  }
  return out;
}

/** Path -> owner for whoever asks by path: built on the first call, so an analysis that reads `fileOwners` never builds it. */
function ownersByPath(files: FinalFileColumns, fileOwners: Int32Array): Pick<ReadonlyMap<string, number>, 'get'> {
  let map: Map<string, number> | undefined;
  return {
    get(path) {
      if (!map) {
        map = new Map();
        for (let i = 0; i < files.count; i++) if (fileOwners[i]! >= 0) map.set(files.path(i), fileOwners[i]!);
      }
      return map.get(path);
    },
  };
}

/**
 * path -> candidate from every database that lists paths (first claim wins, in READERS order), plus
 * npm package directories; candidates whose metadata another manager owns are dropped.
 */
function ownership(cands: readonly Candidate[]) {
  const explicit = new Map<string, number>();
  const npmDirs = new Map<string, number>();
  const dropped = new Uint8Array(cands.length);
  for (let c = 0; c < cands.length; c++) {
    const cand = cands[c]!;
    const seenBy = explicit.get(cand.source);
    if (seenBy !== undefined && cands[seenBy]!.ecosystem !== cand.ecosystem) {
      // Its metadata belongs to a package of a higher-precedence manager (Debian's python3-six, a
      // conda numpy): one installation seen twice, so it is not listed again.
      dropped[c] = 1;
      continue;
    }
    if (cand.dir !== undefined && !npmDirs.has(cand.dir)) npmDirs.set(cand.dir, c);
    for (const p of cand.declared ?? []) if (!explicit.has(p)) explicit.set(p, c);
  }
  const ownerOf = (path: string): number | undefined => {
    let o = explicit.get(path);
    if (o === undefined && USRMERGE.test(path)) {
      const alt = explicit.get(path.slice(4));
      if (alt !== undefined && cands[alt]!.ecosystem === 'deb') o = alt;
    }
    if (o === undefined && npmDirs.size > 0) o = npmOwnerOf(path, npmDirs);
    return o;
  };

  return { ownerOf, dropped };
}

function compare(a: InstalledPackage, b: InstalledPackage): number {
  return b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.source < b.source ? -1 : 1);
}

function toPackage(c: Candidate, bytes: number, files: number): InstalledPackage {
  const p: InstalledPackage = {
    name: c.name, version: c.version, ecosystem: c.ecosystem, bytes, files, layer: c.layer, source: c.source,
  };
  if (c.declared && c.declared.length > 0) p.paths = c.declared.length;
  if (c.installedSize !== undefined) p.installedSize = c.installedSize;
  return p;
}

function readContext(captures: readonly CapturedFile[], finalLayer: ReadonlyMap<string, number>, sink: WarningSink): ReadContext {
  const all = new Map<string, CapturedFile[]>();
  for (const c of captures) {
    const list = all.get(c.path);
    if (list) list.push(c);
    else all.set(c.path, [c]);
  }
  const live = new Map<string, CapturedFile>();
  for (const path of [...all.keys()].sort()) {
    const list = all.get(path)!;
    const last = list[list.length - 1]!;
    const layer = finalLayer.get(path);
    if (layer === undefined) continue; // deleted by a later layer: the database no longer applies
    if (layer !== last.layer) {
      // A later layer rewrote it past the capture cap: what we hold is not what the image ships.
      sink.add('package-db-stale', `captured from layer ${last.layer} but layer ${layer} rewrote it; ignored`, path, layer);
      continue;
    }
    live.set(path, last);
  }
  const texts = new Map<string, string>();
  return {
    live,
    text(path) {
      let t = texts.get(path);
      if (t === undefined) {
        const cap = live.get(path);
        t = cap ? decodeText(cap.bytes) : '';
        texts.set(path, t);
      }
      return t;
    },
    earlier: (path) => (all.get(path) ?? []).slice(0, -1),
    warn: (code, message, entry, layer) => sink.add(code, message, entry, layer),
  };
}
