// Streaming zstd decoding over zstddec's WASM build of libzstd.
//
// Why not zstddec's own `decodeStreaming` (MEASUREMENTS.md): it ignores libzstd's size_t error
// returns, so corrupt input loops forever and exhausts memory, and it accepts only a synchronous
// iterable. Checking every return code keeps its ~500 MB/s (Chromium worker) and makes corruption
// an error. fzstd (205-230 MB/s) skips checksum verification; zstd-codec returns truncated output
// silently; there is no native DecompressionStream('zstd') in Chromium 156.
import { ZSTDDecoder } from 'zstddec/stream';
import { CodecError, type CodecErrorCode } from './errors';
import type { PushDecoder } from './push-decoder';

interface ZstdExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  ZSTD_createDCtx(): number;
  ZSTD_freeDCtx(dctx: number): number;
  ZSTD_decompressStream(dctx: number, output: number, input: number): number;
  ZSTD_DStreamInSize(): number;
  ZSTD_DStreamOutSize(): number;
}

let exportsPromise: Promise<ZstdExports> | undefined;

/** Instantiates the WASM once per realm (worker) and hands back its exports. */
function loadZstd(): Promise<ZstdExports> {
  exportsPromise ??= (async () => {
    // zstddec keeps its instance private; `init()` passes the instantiated source to `this._init`.
    // We wrap `_init` on our own object to capture it and still run the original, which wires the
    // module's memory-growth hook (without it, heap growth would throw inside the WASM import).
    const decoder = new ZSTDDecoder();
    let captured: WebAssembly.Instance | undefined;
    const original = ZSTDDecoder.prototype._init;
    decoder._init = (result) => {
      captured = result.instance;
      original.call(decoder, result);
    };
    await decoder.init();
    if (!captured) {
      // zstddec caches its init promise per module: someone initialised it before us.
      throw new CodecError('zstd-unavailable', 'zstddec was initialised elsewhere before the codec could attach');
    }
    return captured.exports as unknown as ZstdExports;
  })();
  exportsPromise.catch(() => { exportsPromise = undefined; });
  return exportsPromise;
}

// zstd_errors.h: ZSTD_isError(code) is `code > (size_t)-ZSTD_error_maxCode` with maxCode = 120.
// size_t is 32 bits in wasm32, so errors are the top 120 values of the u32 range.
const ERROR_THRESHOLD = 0x1_0000_0000 - 120;

/** Maps a libzstd error number (zstd_errors.h) to our code and a human-readable name. */
function describeZstdError(errno: number): [CodecErrorCode, string] {
  switch (errno) {
    case 10: return ['zstd-corrupt', 'unknown frame magic'];
    case 12: return ['zstd-unsupported', 'frame version not supported'];
    case 14: return ['zstd-unsupported', 'frame parameter not supported'];
    case 16: return ['zstd-unsupported', 'frame window larger than 128 MiB (zstd --long?)'];
    case 20: return ['zstd-corrupt', 'corrupted block detected'];
    case 22: return ['zstd-corrupt', 'frame checksum mismatch'];
    case 24: return ['zstd-corrupt', 'literals header wrong'];
    case 32: return ['zstd-unsupported', 'frame needs a dictionary'];
    case 64: return ['zstd-memory', 'WASM memory allocation failed'];
    default: return ['zstd-corrupt', `libzstd error ${errno}`];
  }
}

export interface ZstdDecoderOptions {
  /**
   * Copy output into a ring of this many buffers, reused in turn, instead of a fresh buffer per
   * chunk: a yielded chunk then stays valid only until `reuse - 1` further chunks are yielded.
   * Fresh buffers cost a page fault per 4 KiB touched; on the 2-core VM in bench/README.md that
   * was most of the decoder's time (decode 1,023 MB/s CPU without copying out, 97 MB/s with a
   * fresh copy per 128 KiB, 895 MB/s copying into a reused buffer). Native zstd reuses its buffers.
   */
  reuse?: number;
  /**
   * A frame ended at compressed byte `stored` with `plain` bytes output so far: the next frame (if
   * any) can be decoded from there afresh (core/contents restart points).
   */
  onFrame?: (stored: number, plain: number) => void;
}

/** Creates a streaming zstd decoder. Handles concatenated and skippable frames (RFC 8878 3.1). */
export async function createZstdDecoder(opts: ZstdDecoderOptions = {}): Promise<PushDecoder> {
  const ex = await loadZstd();
  return new ZstdPushDecoder(ex, opts.reuse, opts.onFrame);
}

class ZstdPushDecoder implements PushDecoder {
  private heap: Uint8Array;
  private view: DataView;
  private dctx: number;
  private readonly inBuf: number;
  private readonly inCap: number;
  private readonly outBuf: number;
  private readonly outCap: number;
  /** ZSTD_inBuffer and ZSTD_outBuffer: { ptr, size, pos } as three u32s each (wasm32). */
  private readonly inStruct: number;
  private readonly outStruct: number;
  /** Compressed bytes fully handed to libzstd before the current slice: for error offsets. */
  private consumed = 0;
  /** Last return of ZSTD_decompressStream: 0 only when a frame is complete and flushed. */
  private lastRet = 0;
  private sawInput = false;
  private disposed = false;
  /** Bytes output so far, for onFrame. */
  private produced = 0;
  /** The reuse ring (empty: a fresh copy per chunk) and the slot the next chunk goes to. */
  private readonly ring: Uint8Array[] = [];
  private slot = 0;

  constructor(private readonly ex: ZstdExports, reuse = 0, private readonly onFrame?: (stored: number, plain: number) => void) {
    this.heap = new Uint8Array(ex.memory.buffer);
    this.view = new DataView(ex.memory.buffer);
    this.dctx = ex.ZSTD_createDCtx();
    this.inCap = ex.ZSTD_DStreamInSize();
    this.outCap = ex.ZSTD_DStreamOutSize();
    this.inBuf = ex.malloc(this.inCap);
    this.outBuf = ex.malloc(this.outCap);
    this.inStruct = ex.malloc(12);
    this.outStruct = ex.malloc(12);
    if (!this.dctx || !this.inBuf || !this.outBuf || !this.inStruct || !this.outStruct) {
      this.dispose();
      throw new CodecError('zstd-memory', 'could not allocate a zstd decoding context');
    }
    for (let i = 0; i < reuse; i++) this.ring.push(new Uint8Array(this.outCap));
  }

  /** The decoded bytes at the output buffer, in a fresh copy or the next ring slot. */
  private takeOutput(produced: number): Uint8Array {
    const from = this.heap.subarray(this.outBuf, this.outBuf + produced);
    if (this.ring.length === 0) return from.slice();
    const to = this.ring[this.slot]!;
    this.slot = (this.slot + 1) % this.ring.length;
    to.set(from);
    return to.subarray(0, produced);
  }

  /** Heap growth detaches the old ArrayBuffer; any call into libzstd may grow it. */
  private refreshViews(): void {
    if (this.heap.buffer !== this.ex.memory.buffer) {
      this.heap = new Uint8Array(this.ex.memory.buffer);
      this.view = new DataView(this.ex.memory.buffer);
    }
  }

  *push(chunk: Uint8Array): Iterable<Uint8Array> {
    if (this.disposed) throw new Error('zstd decoder used after dispose');
    if (chunk.length > 0) this.sawInput = true;
    for (let start = 0; start < chunk.length; start += this.inCap) {
      const slice = chunk.subarray(start, Math.min(chunk.length, start + this.inCap));
      this.refreshViews();
      this.heap.set(slice, this.inBuf);
      this.setBuffer(this.inStruct, this.inBuf, slice.length);
      yield* this.drain(slice.length);
      this.consumed += slice.length;
    }
  }

  *end(): Iterable<Uint8Array> {
    if (this.disposed) throw new Error('zstd decoder used after dispose');
    try {
      // Nothing to flush: `drain` already called again whenever the output buffer came back full.
      // (Calling with empty input after a frame ends would return the next header's size hint,
      // which would read as "mid-frame".)
      if (!this.sawInput) throw new CodecError('zstd-truncated', 'empty zstd stream', 0);
      // A non-zero hint means libzstd is mid-frame, waiting for bytes that never came.
      if (this.lastRet !== 0) {
        throw new CodecError('zstd-truncated', `zstd stream ends mid-frame (${this.lastRet} more bytes expected)`, this.consumed);
      }
    } finally {
      this.dispose();
    }
  }

  /** Runs ZSTD_decompressStream until the input slice is consumed and the output drained. */
  private *drain(size: number): Generator<Uint8Array> {
    const ex = this.ex;
    for (;;) {
      // While suspended at `yield`, another decoder sharing this WASM heap may have grown it.
      this.refreshViews();
      this.setBuffer(this.outStruct, this.outBuf, this.outCap);
      const ret = ex.ZSTD_decompressStream(this.dctx, this.outStruct, this.inStruct) >>> 0;
      this.refreshViews();
      const inPos = this.view.getUint32(this.inStruct + 8, true);
      if (ret > ERROR_THRESHOLD) {
        const errno = 0x1_0000_0000 - ret;
        const [code, what] = describeZstdError(errno);
        this.dispose();
        throw new CodecError(code, `zstd: ${what}`, this.consumed + inPos);
      }
      this.lastRet = ret;
      const produced = this.view.getUint32(this.outStruct + 8, true);
      this.produced += produced;
      // ret 0: a frame is complete and flushed (zstd.h, ZSTD_decompressStream).
      if (ret === 0) this.onFrame?.(this.consumed + inPos, this.produced);
      if (produced > 0) yield this.takeOutput(produced);
      // A full output buffer may leave decoded bytes inside libzstd: call again even with no input,
      // unless the frame just ended fully flushed (ret 0): a call then would only return the next
      // frame header's size hint, which reads as "mid-frame" at the end of the stream.
      if (inPos >= size && (produced < this.outCap || ret === 0)) return;
      if (this.disposed) return; // the consumer disposed us while we were suspended in `yield`
    }
  }

  private setBuffer(struct: number, ptr: number, size: number): void {
    this.view.setUint32(struct, ptr, true);
    this.view.setUint32(struct + 4, size, true);
    this.view.setUint32(struct + 8, 0, true);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const ex = this.ex;
    if (this.dctx) ex.ZSTD_freeDCtx(this.dctx);
    for (const p of [this.inBuf, this.outBuf, this.inStruct, this.outStruct]) if (p) ex.free(p);
    this.dctx = 0;
  }
}
