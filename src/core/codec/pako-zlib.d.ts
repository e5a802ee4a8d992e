// The slice of pako 2's low-level inflate (a port of zlib's inflate.c) that gzip-zran.ts drives:
// the CommonJS modules under pako/lib/zlib (package.json "exports" lists them), which the ESM
// bundle does not re-export. `state` is zlib's inflate_state; only the fields read or written here.
declare module 'pako/lib/zlib/inflate.js' {
  interface InflateState {
    /** Bit accumulator and its count (zlib's inflatePrime, which pako leaves out, sets these). */
    hold: number;
    bits: number;
    /** The sliding window: size, bytes held, next write position (zlib's inflateGetDictionary). */
    wsize: number;
    whave: number;
    wnext: number;
    window: Uint8Array | null;
  }
  interface ZStream {
    input: Uint8Array | null;
    next_in: number;
    avail_in: number;
    total_in: number;
    output: Uint8Array | null;
    next_out: number;
    avail_out: number;
    total_out: number;
    msg: string;
    state: InflateState | null;
    data_type: number;
    adler: number;
  }
  const inflate: {
    inflateInit2(strm: ZStream, windowBits: number): number;
    inflateReset2(strm: ZStream, windowBits: number): number;
    inflate(strm: ZStream, flush: number): number;
    inflateEnd(strm: ZStream): number;
    inflateSetDictionary(strm: ZStream, dictionary: Uint8Array): number;
  };
  export default inflate;
  export type { ZStream, InflateState };
}

declare module 'pako/lib/zlib/zstream.js' {
  import type { ZStream } from 'pako/lib/zlib/inflate.js';
  const ZStreamCtor: new () => ZStream;
  export default ZStreamCtor;
}

declare module 'pako/lib/zlib/crc32.js' {
  /** zlib's crc32(crc, buf, len) over buf[pos, pos + len); returns a signed 32-bit value. */
  const crc32: (crc: number, buf: Uint8Array, len: number, pos: number) => number;
  export default crc32;
}
