// Attribute every file of the final filesystem to the package that installed it, from the package
// databases the indexer captured. One pass over the files with a path -> owner Map built once, so
// 300k files cost 300k Map lookups.

import type { Warning } from '../types';
import { readApk } from './apk';
import { readConda } from './conda';
import { readDpkg } from './dpkg';
import { npmOwnerOf, readNpm } from './npm';
import { readPip } from './pip';
import { decodeText, WarningSink } from './text';
import type {
  AttributionInput, AttributionResult, CapturedFile, Candidate, FinalFile, InstalledPackage, ReadContext,
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
  const files = collectFiles(input.files, wanted);
  const ctx = readContext(input.captures, files.captureLayers, sink);
  const cands = READERS.flatMap((read) => read(ctx));

  const { ownerOf, dropped } = ownership(cands);

  const bytes = new Float64Array(cands.length);
  const count = new Float64Array(cands.length);
  const owners = new Map<string, number>();
  const unowned = { bytes: 0, files: 0 };
  for (let i = 0; i < files.paths.length; i++) {
    const path = files.paths[i]!;
    const size = files.sizes[i]!;
    const o = ownerOf(path);
    if (o === undefined) {
      unowned.bytes += size;
      unowned.files++;
    } else {
      bytes[o] = bytes[o]! + size;
      count[o] = count[o]! + 1;
      owners.set(path, o);
    }
  }

  const packages = cands.map((c, i) => toPackage(c, bytes[i]!, count[i]!));
  const order = packages.map((_, i) => i).filter((i) => !dropped[i]);
  order.sort((a, b) => compare(packages[a]!, packages[b]!));
  const rank = new Int32Array(cands.length);
  order.forEach((c, r) => (rank[c] = r));
  for (const [p, c] of owners) owners.set(p, rank[c]!);
  return { packages: order.map((i) => packages[i]!), unowned, owners, warnings };
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

interface CollectedFiles {
  paths: string[];
  sizes: number[];
  /** Final layer of each captured path still present. */
  captureLayers: Map<string, number>;
}

/** The files iterable may be a one-shot generator, and owners depend on which captures survive. */
function collectFiles(files: Iterable<FinalFile>, wanted: ReadonlySet<string>): CollectedFiles {
  const out: CollectedFiles = { paths: [], sizes: [], captureLayers: new Map() };
  for (const f of files) {
    out.paths.push(f.path);
    out.sizes.push(f.size);
    if (wanted.has(f.path)) out.captureLayers.set(f.path, f.layer);
  }
  return out;
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
