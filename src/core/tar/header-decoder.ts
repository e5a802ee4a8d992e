// One place that turns 512-byte header blocks into entries, shared by the streaming walker and the
// random-access reader. The drivers own the bytes; this class owns the meaning:
//   block(b) -> Step.Block  : hand me the next block (header, GNU sparse extension, PAX 1.0 map)
//            -> Step.Meta   : gather `metaSize` body bytes (L/K/x/g), skip padding, call meta()
//            -> Step.Entry  : `entry` is complete; `entry.stored` body bytes follow, then padding
//            -> Step.End    : end-of-archive zero block
//            -> Step.Stop   : unreadable; a warning has been reported
// Per-entry state (long names, 'x' records, a pending sparse entry) is dropped as each entry is
// emitted, so memory stays flat over a million entries. 'g' records are read and not applied (see
// globalHeader for why).

import { decodeUtf8 } from '../utf8';
import {
  Checksum, fieldEnd, isPosixUstar, readNumber, readText, verifyChecksum,
} from './fields';
import { normalisePath } from './normalise-path';
import { collectXattrs, paxGet, paxNumber, parsePax, type PaxRecords } from './pax';
import { gnuExtensionIsExtended, gnuHeaderIsExtended, SparseMapCollector, SparseMapReader } from './sparse';
import { BLOCK, type TarEntry, type TarEntryType, type TarWarning } from './types';

export const enum Step { Block, Meta, Entry, End, Stop }

export interface DecoderOptions {
  /**
   * Keep each sparse entry's segment map on the entry (`sparseMap`). Off in the first pass, whose
   * index records no map; the contents reader turns it on for the one entry it reads again.
   */
  keepSparseMap?: boolean;
}

/** Long names and PAX headers are small; a bigger one is corruption or an attempt to exhaust memory. */
export const MAX_META = 8 << 20;

const enum Want { Header, GnuExtension, SparseMap }

// Typeflags (POSIX ustar; GNU tar manual "Basic Tar Format" for L, K, S, D, M, N, V).
const T_LONGNAME = 0x4c; // 'L'
const T_LONGLINK = 0x4b; // 'K'
const T_PAX = 0x78; // 'x'
const T_PAX_SOLARIS = 0x58; // 'X': pre-POSIX Solaris spelling of 'x'
const T_GLOBAL = 0x67; // 'g'
const T_GNU_SPARSE = 0x53; // 'S'
const T_VOLUME = 0x56; // 'V': GNU volume label, "not a file" (GNU tar manual, "Basic Tar Format")

/** PAX keywords whose values are names: a NUL ends a name in every syscall, so one cuts it there. */
const NAME_KEYS = ['path', 'linkpath', 'uname', 'gname', 'GNU.sparse.name'];

/** 'g' keywords that change nothing a listing shows (git archive writes `comment`). */
const HARMLESS_GLOBAL = new Set(['comment']);

const TYPES: Record<number, TarEntryType> = {
  0x00: 'file', 0x30: 'file', 0x37: 'file', 0x53: 'file', // '7' contiguous is a regular file
  0x31: 'hardlink', 0x32: 'symlink', 0x33: 'char', 0x34: 'block', 0x35: 'dir', 0x36: 'fifo',
  0x44: 'dir', // GNU 'D' dumpdir: a directory whose body lists its contents
};

/** A small cache for uname/gname, which repeat on nearly every entry of a layer. */
class NameCache {
  private bytes = new Uint8Array(32);
  private len = -1;
  private text = '';

  read(b: Uint8Array, off: number): string {
    const end = fieldEnd(b, off, 32);
    const n = end - off;
    if (n === this.len) {
      let i = 0;
      while (i < n && b[off + i] === this.bytes[i]) i++;
      if (i === n) return this.text;
    }
    this.bytes.set(b.subarray(off, end));
    this.len = n;
    this.text = decodeUtf8(b, off, end);
    return this.text;
  }
}

export class HeaderDecoder {
  /** Body length to gather after Step.Meta. */
  metaSize = 0;
  /** The entry after Step.Entry; the driver takes it. */
  entry: TarEntry | null = null;

  private want = Want.Header;
  private metaType = 0;
  private metaOffset = 0;
  private firstOffset = -1;
  private longName: string | null = null;
  private longLink: string | null = null;
  private local: PaxRecords | null = null;
  /** The name field of a 'V' header being read. */
  private label = '';
  private pending: TarEntry | null = null;
  private map: SparseMapReader | null = null;
  private segments: SparseMapCollector | null = null;
  private readonly scratch = new Uint8Array(256);
  private readonly unames = new NameCache();
  private readonly gnames = new NameCache();

  constructor(private readonly warn: (w: TarWarning) => void, private readonly opts: DecoderOptions = {}) {}

  /** Where the record in progress began (for truncation warnings), or -1 between entries. */
  get pendingOffset(): number {
    return this.pending ? this.pending.headerOffset : this.firstOffset;
  }

  get pendingName(): string | undefined {
    return this.pending?.rawPath ?? this.longName ?? this.local?.get('path');
  }

  block(b: Uint8Array, offset: number): Step {
    if (this.want === Want.GnuExtension) return this.gnuExtension(b, offset);
    if (this.want === Want.SparseMap) return this.sparseMap(b, offset);
    const sum = verifyChecksum(b);
    if (sum === Checksum.Zero) return Step.End;
    if (sum === Checksum.Bad) {
      this.warn({
        code: 'tar-bad-checksum', offset, entry: this.pendingName,
        message: `header checksum mismatch at byte ${offset}: the archive is corrupt or not a tar; stopped reading`,
      });
      return Step.Stop;
    }
    const t = b[156]!;
    if (t === T_LONGNAME || t === T_LONGLINK || t === T_PAX || t === T_PAX_SOLARIS || t === T_GLOBAL || t === T_VOLUME) {
      return this.metaHeader(b, offset, t);
    }
    return this.entryHeader(b, offset, t);
  }

  private metaHeader(b: Uint8Array, offset: number, t: number): Step {
    const size = readNumber(b, 124, 12);
    if (!(size >= 0) || size > MAX_META) {
      this.warn({
        code: 'tar-bad-header', offset,
        message: `extended header at byte ${offset} claims ${size} bytes; stopped reading`,
      });
      return Step.Stop;
    }
    // A 'g' header stands alone (it configures the rest of the archive) and a volume label names
    // the archive, so neither starts the next entry's record.
    if (t !== T_GLOBAL && t !== T_VOLUME && this.firstOffset < 0) this.firstOffset = offset;
    this.metaType = t;
    this.metaOffset = offset;
    if (t === T_VOLUME) this.label = readText(b, 0, 100);
    this.metaSize = size;
    return Step.Meta;
  }

  /** The body of the extended header announced by the last Step.Meta. */
  meta(body: Uint8Array): Step {
    const t = this.metaType;
    if (t === T_LONGNAME) this.longName = readText(body, 0, body.length);
    else if (t === T_LONGLINK) this.longLink = readText(body, 0, body.length);
    else if (t === T_VOLUME) this.volumeLabel(this.label);
    else {
      const { records, ok } = parsePax(body);
      if (!ok) {
        this.warn({
          code: 'tar-bad-pax', offset: this.metaOffset,
          message: `malformed PAX record in the extended header at byte ${this.metaOffset}; kept the records before it`,
        });
      }
      this.checkNuls(records);
      if (t === T_GLOBAL) this.globalHeader(records);
      // Several 'x' headers in a row: only the last one describes the entry, as Go's archive/tar,
      // GNU tar and bsdtar read them (each replaces the one before; Go's pax-multi-hdrs.tar).
      else this.local = records;
    }
    return Step.Block;
  }

  /**
   * POSIX.1-2017 pax, "pax Header Block", typeflag g: "Each value shall affect all subsequent
   * files that do not override that value in their own extended header record". The appliers that
   * build a container's filesystem do not apply them: Go's archive/tar (Docker, containerd,
   * containers/storage, BuildKit) hands a 'g' header back as a header of its own without merging
   * its records into the next ones, and containerd and Docker then skip it ("PAX Global Extended
   * Headers found and ignored"); bsdtar does not apply them either. We show that filesystem, so 'g'
   * records change no entry here (GNU tar would apply them); a warning says so when they name
   * anything but a comment (git archive's commit id).
   */
  private globalHeader(records: PaxRecords): void {
    const keys = [...records.keys()].filter((k) => !HARMLESS_GLOBAL.has(k));
    if (keys.length === 0) return;
    const shown = keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ') + (keys.length > 5 ? ', ...' : '');
    this.warn({
      code: 'tar-pax-global-ignored', offset: this.metaOffset,
      message: `global PAX header at byte ${this.metaOffset} sets ${shown}: not applied to later entries, as Docker, containerd and podman do not apply them (GNU tar would)`,
    });
  }

  /** A GNU 'V' header names the archive (GNU tar lists it as `--Volume Header--`): no entry. */
  private volumeLabel(label: string): void {
    this.firstOffset = -1;
    this.warn({
      code: 'tar-volume-label', offset: this.metaOffset, entry: label,
      message: `GNU volume label ${JSON.stringify(label)} at byte ${this.metaOffset} is not a file: not listed`,
    });
  }

  /**
   * A NUL inside a PAX keyword or name (Go's archive/tar rejects both as ErrHeader): a keyword
   * holding one is dropped; a name is cut at it, as GNU tar reads it (the C string ends there).
   * Other values may hold NULs: SCHILY.xattr values are raw bytes (security.capability is binary).
   */
  private checkNuls(records: PaxRecords): void {
    for (const [key, value] of records) {
      if (key.includes('\0')) {
        records.delete(key);
        this.warnNul(`PAX keyword ${JSON.stringify(key)} holds a NUL byte: record dropped`);
      } else if (NAME_KEYS.includes(key) && value.includes('\0')) {
        const cut = value.slice(0, value.indexOf('\0'));
        records.set(key, cut);
        this.warnNul(`PAX ${key} holds a NUL byte: cut there, read as ${JSON.stringify(cut)}`);
      }
    }
  }

  private warnNul(what: string): void {
    this.warn({ code: 'tar-pax-nul', offset: this.metaOffset, message: `${what} (extended header at byte ${this.metaOffset})` });
  }

  private entryHeader(b: Uint8Array, offset: number, t: number): Step {
    const headerSize = readNumber(b, 124, 12);
    const local = this.local;
    const stored = paxNumber(local, 'size') ?? headerSize;
    if (!(stored >= 0) || !Number.isSafeInteger(stored)) {
      this.warn({
        code: 'tar-bad-header', offset, message: `entry header at byte ${offset} has no valid size; stopped reading`,
      });
      return Step.Stop;
    }
    const headerOffset = this.firstOffset < 0 ? offset : this.firstOffset;
    const rawPath = paxGet(local, 'GNU.sparse.name') ?? paxGet(local, 'path') ??
      this.longName ?? this.headerName(b);
    const type = t === 0 && rawPath.endsWith('/') ? 'dir' : TYPES[t] ?? 'other';
    const entry = this.makeEntry(b, offset, t, type, rawPath, stored, headerOffset);
    const mapInBody = entry.sparse && paxNumber(local, 'GNU.sparse.major') === 1;
    if (entry.sparse && this.opts.keepSparseMap) this.startSparseMap(b, t, local, mapInBody);
    this.longName = this.longLink = null;
    this.local = null;
    this.firstOffset = -1;
    return this.afterHeader(b, entry, t, mapInBody);
  }

  private makeEntry(
    b: Uint8Array, offset: number, t: number, type: TarEntryType, rawPath: string, stored: number,
    headerOffset: number,
  ): TarEntry {
    const local = this.local;
    const { path, escaped } = normalisePath(rawPath);
    if (escaped) this.warnEscape(rawPath, path, headerOffset);
    let linkName = paxGet(local, 'linkpath') ?? this.longLink ?? readText(b, 157, 100);
    if (type === 'hardlink') {
      const target = normalisePath(linkName);
      if (target.escaped) this.warnEscape(linkName, target.path, headerOffset);
      linkName = target.path;
    }
    const sparseReal = t === T_GNU_SPARSE ? orValue(readNumber(b, 483, 12), stored) : paxSparseSize(local);
    return {
      path, rawPath, type, typeflag: t,
      mode: readNumber(b, 100, 8) & 0o7777,
      uid: paxNumber(local, 'uid') ?? orZero(readNumber(b, 108, 8)),
      gid: paxNumber(local, 'gid') ?? orZero(readNumber(b, 116, 8)),
      uname: paxGet(local, 'uname') ?? this.unames.read(b, 265),
      gname: paxGet(local, 'gname') ?? this.gnames.read(b, 297),
      mtime: paxNumber(local, 'mtime') ?? orZero(readNumber(b, 136, 12)),
      size: sparseReal === undefined ? stored : sparseReal,
      stored,
      linkName,
      devMajor: orZero(readNumber(b, 329, 8)),
      devMinor: orZero(readNumber(b, 337, 8)),
      xattrs: local ? collectXattrs(local) : undefined,
      sparse: sparseReal !== undefined,
      headerOffset,
      dataOffset: offset + BLOCK,
    };
  }

  /** The map's first part: the old GNU header's four slots, or the PAX 0.0 / 0.1 records. */
  private startSparseMap(b: Uint8Array, t: number, local: PaxRecords | null, mapInBody: boolean): void {
    const c = new SparseMapCollector();
    this.segments = c;
    if (t === T_GNU_SPARSE) c.addGnuSlots(b, 386, 4);
    else if (!mapInBody) c.addPaxLists(paxGet(local, 'GNU.sparse.map'), paxGet(local, 'GNU.sparse.offset'), paxGet(local, 'GNU.sparse.numbytes'));
  }

  /** Hand the kept map to the entry (none when it was too long to keep). */
  private attachMap(entry: TarEntry): void {
    const c = this.segments;
    this.segments = null;
    if (c && !c.full) entry.sparseMap = c.pairs;
  }

  /** Emit the entry now, or first read the sparse blocks that sit between header and data. */
  private afterHeader(b: Uint8Array, entry: TarEntry, t: number, mapInBody: boolean): Step {
    if (t === T_GNU_SPARSE && gnuHeaderIsExtended(b)) {
      this.pending = entry;
      this.want = Want.GnuExtension;
      return Step.Block;
    }
    // PAX sparse 1.0 keeps its map at the start of the body; 0.x keep it in the records.
    if (mapInBody && entry.stored > 0) {
      this.pending = entry;
      this.map = new SparseMapReader(this.segments ?? undefined);
      this.want = Want.SparseMap;
      return Step.Block;
    }
    this.attachMap(entry);
    this.entry = entry;
    return Step.Entry;
  }

  private gnuExtension(b: Uint8Array, offset: number): Step {
    this.segments?.addGnuSlots(b, 0, 21);
    if (gnuExtensionIsExtended(b)) return Step.Block;
    return this.release(offset + BLOCK, 0);
  }

  private sparseMap(b: Uint8Array, offset: number): Step {
    const entry = this.pending!;
    const state = this.map!.feed(b);
    const used = this.map!.blocks * BLOCK;
    if (state === 'bad' || used > entry.stored) {
      this.warn({
        code: 'tar-bad-sparse-map', offset, entry: entry.rawPath,
        message: `unreadable sparse map in the body of ${entry.rawPath} at byte ${offset}; stopped reading`,
      });
      this.pending = this.map = this.segments = null;
      this.want = Want.Header;
      return Step.Stop;
    }
    if (state === 'more') return Step.Block;
    return this.release(offset + BLOCK, used);
  }

  /** Emit the pending sparse entry whose data starts at `dataOffset`, after `mapBytes` of map. */
  private release(dataOffset: number, mapBytes: number): Step {
    const entry = this.pending!;
    entry.dataOffset = dataOffset;
    entry.stored -= mapBytes;
    this.attachMap(entry);
    this.pending = this.map = null;
    this.want = Want.Header;
    this.entry = entry;
    return Step.Entry;
  }

  /** ustar joins prefix + '/' + name; decode them as one buffer (a name may split a character between them). */
  private headerName(b: Uint8Array): string {
    if (!isPosixUstar(b) || b[345] === 0) return readText(b, 0, 100);
    const s = this.scratch;
    const pEnd = fieldEnd(b, 345, 155);
    const nEnd = fieldEnd(b, 0, 100);
    s.set(b.subarray(345, pEnd), 0);
    let n = pEnd - 345;
    s[n++] = 0x2f;
    s.set(b.subarray(0, nEnd), n);
    return decodeUtf8(s, 0, n + nEnd);
  }

  private warnEscape(raw: string, path: string, offset: number): void {
    this.warn({
      code: 'tar-path-escape', offset, entry: raw,
      message: `path ${JSON.stringify(raw)} points outside the archive root; read as ${JSON.stringify(path)}`,
    });
  }
}

function orZero(n: number): number {
  return Number.isNaN(n) ? 0 : n;
}

function orValue(n: number, fallback: number): number {
  return Number.isNaN(n) ? fallback : n;
}

/** Real size of a PAX-sparse file (GNU.sparse.realsize for 1.0, GNU.sparse.size for 0.x). */
function paxSparseSize(local: PaxRecords | null): number | undefined {
  if (!local) return undefined;
  return paxNumber(local, 'GNU.sparse.realsize') ?? paxNumber(local, 'GNU.sparse.size');
}
