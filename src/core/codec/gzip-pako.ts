// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- pako ships no types; the ambient declaration must load in both the worker and the test program
/// <reference path="./pako.d.ts" />
// Synchronous gzip decoding with pako: the fallback where `DecompressionStream` is missing, and the
// push decoder for synchronous loops. MEASUREMENTS.md: pako 187-219 MB/s vs native 348-357 MB/s in
// a Chromium worker, and it checks CRC32 and ISIZE (fflate, faster to load, does not: corrupt input
// gives wrong output silently, so it is not an option).
import { Inflate } from 'pako';
import { CodecError } from './errors';
import type { PushDecoder } from './push-decoder';

// Deflate expands at most ~1032:1, so a 16 KiB slice yields at most ~16 MiB in one go.
const SLICE = 16 * 1024;

type State = 'member' | 'between' | 'padding' | 'ignore';

export interface GzipDecoderOptions {
  /**
   * Bytes after a complete member that are neither zero padding nor another member: called once
   * with their compressed offset, and the rest of the input is ignored, as `gzip -dc` does
   * ("decompression OK, trailing garbage ignored"). Without it they are a CodecError.
   */
  onTrailingGarbage?: (offset: number) => void;
  /**
   * A member after the first starts at compressed byte `stored`, where the output so far is
   * `plain` bytes: a point the stream can be decoded from afresh (core/contents restart points).
   */
  onMember?: (stored: number, plain: number) => void;
}

export function createPakoGzipDecoder(opts: GzipDecoderOptions = {}): PushDecoder {
  let inflater: Inflate | undefined;
  let out: Uint8Array[] = [];
  let consumed = 0;
  let state: State = 'between';
  let sawInput = false;
  let done = false;
  /** Bytes output so far, and compressed bytes of the current member read, for onMember. */
  let produced = 0;
  let memberIn = 0;

  const fresh = (): Inflate => {
    // windowBits 15 + 16: gzip only (RFC 1952); a zlib or raw stream is not a gzip layer.
    const inf = new Inflate({ windowBits: 15 + 16, chunkSize: 64 * 1024 });
    inf.onData = (c: Uint8Array) => { out.push(c); produced += c.length; };
    return inf;
  };

  /** Trailing garbage: a warning when the caller takes one (then the rest is ignored), else an error. */
  const garbage = (at: number, message: string): void => {
    if (opts.onTrailingGarbage) {
      state = 'ignore';
      opts.onTrailingGarbage(at);
      return;
    }
    done = true;
    throw new CodecError('gzip-trailing-garbage', message, at);
  };

  /** `at`: where the error was seen; `read`: bytes read since the would-be member began. */
  const fail = (inf: Inflate, at: number, read: number): void => {
    const msg = String(inf.msg || `zlib error ${inf.err}`);
    // A header check can only fail where a member starts; past the first member that means the
    // bytes after a complete member are not gzip. `gzip -dc` calls it trailing garbage too.
    if (at - read > 0 && /header check|unknown compression method/.test(msg)) return garbage(at - read, `gzip: ${msg}`);
    done = true;
    throw new CodecError('gzip-corrupt', `gzip: ${msg}`, at);
  };

  function* feed(slice: Uint8Array): Generator<Uint8Array> {
    let pos = 0;
    while (pos < slice.length) {
      if (state === 'ignore') return;
      if (state === 'padding') {
        // RFC 1952 does not define padding, but GNU gzip and Node's zlib ignore trailing zeros
        // (tape blocking), so we do too. Anything else after the last member is garbage.
        for (; pos < slice.length; pos++) {
          if (slice[pos] !== 0) {
            garbage(consumed + pos, 'non-zero bytes after gzip padding');
            return;
          }
        }
        return;
      }
      if (state === 'between') {
        if (slice[pos] === 0 && inflater) { state = 'padding'; continue; }
        if (inflater) opts.onMember?.(consumed + pos, produced);
        inflater = fresh();
        memberIn = 0;
        state = 'member';
      }
      const inf = inflater!;
      const part = pos === 0 ? slice : slice.subarray(pos);
      inf.push(part, false);
      const strm = inf.strm as { next_in: number; avail_in: number; next_out: number; output: Uint8Array; total_in: number; total_out: number };
      if (opts.onMember && !inf.err) {
        // pako moves on to the next member inside one push by inflateReset, which zeroes total_in
        // and total_out: fewer bytes counted than this member was fed means one began in there.
        const fed = part.length - strm.avail_in;
        if (strm.total_in < memberIn + fed) {
          opts.onMember(consumed + pos + fed - strm.total_in, produced + strm.next_out - strm.total_out);
        }
        memberIn = strm.total_in;
      }
      // What was decoded before an error is handed on first: a damaged layer keeps its entries.
      // pako keeps output in its buffer until the buffer fills or a member ends, and returns on a
      // data error without handing that on (pako 2.2 lib/inflate.js, push): it is there, unsent.
      if (inf.err && strm.next_out > 0) out.push(strm.output.slice(0, strm.next_out));
      const emitted = out;
      out = [];
      yield* emitted;
      if (inf.err) {
        // inflateReset zeroes total_in when pako moves on to a next member inside one push.
        fail(inf, consumed + pos + strm.next_in, strm.total_in);
        return;
      }
      if (!inf.ended) return;
      // pako restarts itself for members that follow inside the same push; it stops at a zero
      // byte (padding) or at the end of this slice, where we take over.
      state = 'between';
      pos += part.length - strm.avail_in;
    }
  }

  return {
    *push(chunk) {
      if (done) throw new Error('gzip decoder used after end or error');
      if (chunk.length) sawInput = true;
      for (let i = 0; i < chunk.length; i += SLICE) {
        const slice = chunk.subarray(i, Math.min(chunk.length, i + SLICE));
        yield* feed(slice);
        consumed += slice.length;
      }
    },
    *end() {
      if (done) throw new Error('gzip decoder used after end or error');
      done = true;
      if (!sawInput) throw new CodecError('gzip-truncated', 'empty gzip stream', 0);
      if (state === 'member' && inflater) {
        inflater.push(new Uint8Array(0), true);
        const emitted = out;
        out = [];
        yield* emitted;
        if (inflater.err || !inflater.ended) {
          throw new CodecError('gzip-truncated', 'gzip stream ends inside a member', consumed);
        }
      }
    },
    dispose() { done = true; inflater = undefined; out = []; },
  };
}
