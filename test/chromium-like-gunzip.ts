// A stand-in for Chromium's DecompressionStream('gzip') built on pako's low-level zlib port: one
// member only, output enqueued before the "Junk" TypeError (which then discards anything still
// queued, per the Streams spec), exactly what we observed in Chromium 156.
import { createRequire } from 'node:module';
import type { GzipNativeFactory } from '../src/core/codec/gzip-native';

const zlib = createRequire(import.meta.url)('pako/lib/zlib/inflate.js') as {
  inflateInit2(s: object, w: number): number; inflate(s: object, f: number): number;
};
const ZStream = createRequire(import.meta.url)('pako/lib/zlib/zstream.js') as new () => {
  input: Uint8Array; next_in: number; avail_in: number; output: Uint8Array; next_out: number; avail_out: number; msg: string;
};

export const chromiumLikeGunzip: GzipNativeFactory = () => {
  const strm = new ZStream();
  zlib.inflateInit2(strm, 15 + 16);
  let ended = false;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (ended) throw new TypeError('Junk found after end of compressed data.');
      Object.assign(strm, { input: chunk, next_in: 0, avail_in: chunk.length });
      for (;;) {
        Object.assign(strm, { output: new Uint8Array(16384), next_out: 0, avail_out: 16384 });
        const status = zlib.inflate(strm, 0);
        if (status < 0 && status !== -5) throw new TypeError(`The compressed data was not valid: ${strm.msg}`);
        if (strm.next_out) controller.enqueue(strm.output.subarray(0, strm.next_out));
        if (status === 1) {
          ended = true;
          if (strm.avail_in > 0) throw new TypeError('Junk found after end of compressed data.');
          return;
        }
        if (strm.avail_out !== 0) return;
      }
    },
    flush() { if (!ended) throw new TypeError('Compressed input was truncated.'); },
  });
};
