// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- pako ships no types; the ambient declaration must load in both the worker and the test program
/// <reference path="./pako-zlib.d.ts" />
// A gzip decoder that can start in the middle of a deflate stream and records where it could be
// started again, as zlib's examples/zran.c does: at a deflate block boundary the decoder's whole
// state is the stored byte it reads next, the 0-7 bits of the byte before it still unread, and the
// last 32 KiB of output (the window back-references reach into). pako 2's low-level inflate is
// zlib's inflate.c ported line by line, so zran's recipe applies: inflate(Z_BLOCK) returns at each
// block boundary with `data_type` = unread bits + 64 (last block) + 128 (at a boundary); a restart
// is a raw inflate (windowBits -15) given the window by inflateSetDictionary and the bits by
// inflatePrime, which pako leaves out: we set its `hold`/`bits` fields, which is all zlib's does.
//
// What vouches for the bytes: from a member's start pako checks the member's CRC32 and ISIZE at
// its end, as always. From a checkpoint, the decoder carries on the CRC32 of the member's output
// before the checkpoint (recorded with it) over what it decodes, and checks the member's trailer
// itself: reaching the member's end is a full check of the member (given the recorded prefix CRC),
// and a mismatch is a CodecError, as a rescan's would be.

import zlib from 'pako/lib/zlib/inflate.js';
import ZStreamCtor from 'pako/lib/zlib/zstream.js';
import crc32 from 'pako/lib/zlib/crc32.js';
import { CodecError } from './errors';
import type { PushDecoder } from './push-decoder';

/** A block boundary inside a deflate stream: enough to decode from there on its own. */
export interface DeflateCheckpoint {
  /** The first stored byte to feed. */
  stored: number;
  /** The uncompressed offset the output starts at. */
  plain: number;
  /** Bits of the byte at `stored - 1` not yet read (0 to 7), and their value (the low bits). */
  bits: number;
  hold: number;
  /** The up to 32 KiB of output before `plain` (the deflate dictionary). */
  window: Uint8Array;
  /** CRC32 of the member's output before `plain`, and where that member's output starts. */
  crc: number;
  memberPlain: number;
}

/** Where decoding starts: the first byte of a gzip member (or of the blob), or a checkpoint. */
export type ZranStart = { stored: number; plain: number } | DeflateCheckpoint;

export interface ZranOptions {
  start: ZranStart;
  /** Offer a checkpoint at block boundaries at least this many stored bytes apart; 0: none. */
  every: number;
  /** The checkpoints offered, handed over on dispose unless the decoder failed (corrupt input). */
  onCheckpoints?: (points: DeflateCheckpoint[]) => void;
}

// zlib's return codes and flush values (zlib.h; pako/lib/zlib/constants.js).
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const Z_BLOCK = 5;
const OUT_CHUNK = 64 * 1024;

type State = 'raw' | 'member' | 'trailer' | 'between' | 'padding' | 'ignore';

const isCheckpoint = (s: ZranStart): s is DeflateCheckpoint => 'window' in s;

export function createZranGzipDecoder(opts: ZranOptions): PushDecoder {
  const strm = new ZStreamCtor();
  const start = opts.start;
  let state: State;
  /** Output offset (uncompressed, absolute) and the current member's first output byte. */
  let plain = start.plain;
  let memberPlain: number;
  /** raw: CRC32 of the member's output so far (pako keeps it in member mode). */
  let crc = 0;
  /** Stored bytes fed before the current chunk, absolute. */
  let fedBefore = start.stored;
  let lastOffer = start.stored;
  const offered: DeflateCheckpoint[] = [];
  let failed = false;
  let finished = false;
  let out = new Uint8Array(0);
  let emitted = 0;
  const trailer = new Uint8Array(8);
  let trailerHave = 0;

  if (isCheckpoint(start)) {
    check(zlib.inflateInit2(strm, -15), 'init');
    if (start.window.length) check(zlib.inflateSetDictionary(strm, start.window), 'set the window');
    // inflatePrime(strm, bits, value): pako has no such export; this is its body.
    const s = strm.state!;
    s.hold = start.hold;
    s.bits = start.bits;
    state = 'raw';
    memberPlain = start.memberPlain;
    crc = start.crc;
  } else {
    check(zlib.inflateInit2(strm, 15 + 16), 'init');
    state = 'member';
    memberPlain = start.plain;
  }
  strm.avail_out = 0;

  function check(ret: number, what: string): void {
    if (ret !== Z_OK) throw new CodecError('gzip-corrupt', `gzip: could not ${what} (zlib ${ret})`, start.stored);
  }

  const fail = (code: 'gzip-corrupt' | 'gzip-truncated', message: string, at: number): never => {
    failed = true;
    throw new CodecError(code, message, at);
  };

  /** The output not yet handed on; the buffer is never written below `next_out` again. */
  function* flush(): Generator<Uint8Array> {
    if (strm.next_out > emitted) {
      yield out.subarray(emitted, strm.next_out);
      emitted = strm.next_out;
    }
  }

  function offer(): void {
    const s = strm.state!;
    const w = s.window!;
    const window = new Uint8Array(s.whave);
    window.set(w.subarray(s.wnext, s.whave), 0);
    window.set(w.subarray(0, s.wnext), s.whave - s.wnext);
    const bits = strm.data_type & 7;
    offered.push({
      stored: fedBefore + strm.next_in,
      plain,
      bits,
      hold: s.hold & ((1 << bits) - 1),
      window,
      crc: (state === 'raw' ? crc : strm.adler) >>> 0,
      memberPlain,
    });
  }

  /** Inflates strm.input from next_in until it is used up or the deflate stream ends. */
  function* inflateSome(): Generator<Uint8Array> {
    for (;;) {
      if (strm.avail_out === 0) {
        out = new Uint8Array(OUT_CHUNK);
        emitted = 0;
        strm.output = out;
        strm.next_out = 0;
        strm.avail_out = OUT_CHUNK;
      }
      const outBefore = strm.next_out;
      const ret = zlib.inflate(strm, Z_BLOCK);
      const made = strm.next_out - outBefore;
      if (made) {
        if (state === 'raw') crc = crc32(crc, out, made, outBefore);
        plain += made;
      }
      if (ret === Z_STREAM_END) {
        yield* flush();
        state = state === 'raw' ? 'trailer' : 'between';
        return;
      }
      if (ret !== Z_OK && ret !== Z_BUF_ERROR) {
        // What was decoded before the error is handed on first, as gzip-pako.ts does.
        yield* flush();
        fail('gzip-corrupt', `gzip: ${strm.msg || `zlib error ${ret}`}`, fedBefore + strm.next_in);
      }
      if (strm.avail_out === 0) { yield* flush(); continue; }
      const dt = strm.data_type;
      if (opts.every > 0 && (dt & 128) && !(dt & 64) && plain > memberPlain) {
        const at = fedBefore + strm.next_in;
        if (at - lastOffer >= opts.every) { lastOffer = at; offer(); }
      }
      if (strm.avail_in === 0) { yield* flush(); return; }
      if (ret === Z_BUF_ERROR) fail('gzip-corrupt', 'gzip: the decoder made no progress', fedBefore + strm.next_in);
    }
  }

  /** The member's trailer after a restart: its CRC32 and ISIZE (RFC 1952 section 2.3.1). */
  function checkTrailer(at: number): void {
    const v = new DataView(trailer.buffer);
    if (v.getUint32(0, true) !== crc >>> 0) fail('gzip-corrupt', 'gzip: incorrect data check', at);
    if (v.getUint32(4, true) !== (plain - memberPlain) % 2 ** 32) fail('gzip-corrupt', 'gzip: incorrect length check', at);
  }

  return {
    *push(chunk) {
      if (finished) throw new Error('gzip decoder used after end or error');
      let pos = 0;
      try {
        while (pos < chunk.length) {
          if (state === 'ignore') break;
          if (state === 'padding') {
            // Zeros after the last member are tape padding (gzip -dc skips them); anything after
            // them is ignored as gzip -dc does ("trailing garbage ignored").
            while (pos < chunk.length && chunk[pos] === 0) pos++;
            if (pos < chunk.length) state = 'ignore';
            continue;
          }
          if (state === 'trailer') {
            const n = Math.min(8 - trailerHave, chunk.length - pos);
            trailer.set(chunk.subarray(pos, pos + n), trailerHave);
            trailerHave += n;
            pos += n;
            if (trailerHave === 8) { checkTrailer(fedBefore + pos); state = 'between'; }
            continue;
          }
          if (state === 'between') {
            if (chunk[pos] === 0) { state = 'padding'; continue; }
            check(zlib.inflateReset2(strm, 15 + 16), 'start the next member');
            memberPlain = plain;
            state = 'member';
          }
          strm.input = chunk;
          strm.next_in = pos;
          strm.avail_in = chunk.length - pos;
          yield* inflateSome();
          pos = strm.next_in;
        }
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        fedBefore += chunk.length;
        strm.input = null;
      }
    },
    *end() {
      if (finished) throw new Error('gzip decoder used after end or error');
      finished = true;
      if (state === 'raw' || state === 'member' || state === 'trailer') {
        fail('gzip-truncated', 'gzip stream ends inside a member', fedBefore);
      }
    },
    dispose() {
      if (strm.state) zlib.inflateEnd(strm);
      if (!failed && offered.length) opts.onCheckpoints?.(offered.splice(0));
      finished = true;
    },
  };
}
