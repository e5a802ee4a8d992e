// gzip through the platform's DecompressionStream, with multi-member support everywhere.
//
// Why native: 348-357 MB/s in a Chromium worker vs pako's 187-219 (MEASUREMENTS.md), and it
// checks CRC32 and ISIZE. Why a driver around it: estargz layers are many gzip members back to
// back (RFC 1952 2.2: "a gzip file consists of a series of members"), and measured on Chromium
// 156, DecompressionStream('gzip') decodes the first member then fails with "TypeError: Junk found
// after end of compressed data." (also for zero padding). Node 20's continues across members,
// skips trailing zeros and rejects other trailing bytes ("incorrect header check").
//
// The continuation: we split every input chunk just before each possible member header
// (1f 8b 08) and before a trailing run of zeros, and write the pieces separately. If the decoder
// rejects exactly the piece that starts at a header, the member ended exactly there: we start a
// fresh decoder at that byte. TransformStream backpressure guarantees the decoder does not run
// the rejecting write until we have read every chunk it produced before, so no output is lost;
// we still check the finished member's ISIZE trailer field against the bytes we counted, so a
// loss could never pass silently. False header candidates inside deflate data (~1 per 16 MiB)
// cost one extra write and nothing else.
import { CodecError, abortError } from './errors';
import { createPakoGzipDecoder, type GzipDecoderOptions } from './gzip-pako';
import type { PushDecoder } from './push-decoder';

// Restarting a native decoder costs ~0.3 ms per member in a Chromium 156 worker (32 MB as 1,954
// members of 16 KiB: native 1,073 ms vs pako 777 ms; as one member: native 458 ms vs pako 938 ms;
// e2e/codec-probe). So once a stream shows itself to be many small members (estargz packs small
// files one per member), we finish it with pako, which crosses members without restarting.
const SMALL_MEMBERS_SEEN = 16;
const SMALL_MEMBER_BYTES = 64 * 1024;

// A platform decoder that fails drops the output of the write it failed in (Node's zlib does not
// hand it on; Chromium's TransformStream errors, which discards what it had queued): for a small
// layer that is every entry. So the compressed bytes of the current member are kept while it is
// under this size, and on any failure the member is decoded again with pako, which hands on all
// it decoded before the problem and tells trailing garbage from corruption exactly. Past this
// size a failure loses the output of the last write (at most one input chunk).
const REPLAY_BYTES = 16 << 20;

export type GzipNativeFactory = () => ReadableWritablePair<Uint8Array, Uint8Array>;

export const nativeGunzip: GzipNativeFactory = () =>
  new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;

type Emit = (chunk: Uint8Array) => Promise<void>;
type Piece = { bytes: Uint8Array; offset: number; kind: 'data' | 'header' | 'zeros' };

interface Session {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  /** Settles when the decoder's output is exhausted: undefined, or the error it failed with. */
  drained: Promise<unknown>;
  /** Decompressed bytes of the current member, for the ISIZE check. */
  out: number;
  /** Last 8 compressed bytes written to this decoder: the trailer when the member just ended. */
  recent: Uint8Array;
}

function openSession(create: GzipNativeFactory, emit: Emit): Session {
  const pair = create();
  const reader = pair.readable.getReader();
  const session: Session = { writer: pair.writable.getWriter(), drained: Promise.resolve(), out: 0, recent: new Uint8Array(0) };
  session.drained = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        session.out += value.length;
        await emit(value);
      }
    } catch (e) {
      reader.cancel(e).catch(() => {});
      return e;
    }
  })();
  // The writer rejects with the same error the reader sees; the pump handles it there.
  session.writer.closed.catch(() => {});
  return session;
}

function remember(session: Session, bytes: Uint8Array): void {
  if (bytes.length >= 8) { session.recent = bytes.slice(bytes.length - 8); return; }
  const joined = new Uint8Array(session.recent.length + bytes.length);
  joined.set(session.recent);
  joined.set(bytes, session.recent.length);
  session.recent = joined.slice(Math.max(0, joined.length - 8));
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const isJunk = (e: unknown): boolean => /junk/i.test(messageOf(e));

function toCodecError(e: unknown, offset: number): CodecError {
  if (e instanceof CodecError) return e;
  const msg = messageOf(e);
  // Chromium: "Compressed input was truncated."; Node: "unexpected end of file" (Z_BUF_ERROR).
  const code = /truncat|unexpected end/i.test(msg) ? 'gzip-truncated' : 'gzip-corrupt';
  return new CodecError(code, `gzip: ${msg}`, offset, { cause: e });
}

/** Splits a chunk before every 1f 8b 08 and before its trailing zero run. */
function splitChunk(bytes: Uint8Array, offset: number): Piece[] {
  const pieces: Piece[] = [];
  let zeros = bytes.length;
  while (zeros > 0 && bytes[zeros - 1] === 0) zeros--;
  let start = 0;
  let kind: Piece['kind'] = 'data';
  for (let i = bytes.indexOf(0x1f); i !== -1 && i < zeros; i = bytes.indexOf(0x1f, i + 1)) {
    if (bytes[i + 1] !== 0x8b || bytes[i + 2] !== 0x08) continue;
    pieces.push({ bytes: bytes.subarray(start, i), offset: offset + start, kind });
    start = i;
    kind = 'header';
  }
  if (zeros > start) pieces.push({ bytes: bytes.subarray(start, zeros), offset: offset + start, kind });
  if (zeros < bytes.length) pieces.push({ bytes: bytes.subarray(zeros), offset: offset + zeros, kind: 'zeros' });
  return pieces;
}

/** Bytes at the end of a chunk that could begin a member header (1f, 1f 8b): held for the next. */
function heldBack(bytes: Uint8Array): number {
  const n = bytes.length;
  if (n >= 1 && bytes[n - 1] === 0x1f) return 1;
  if (n >= 2 && bytes[n - 2] === 0x1f && bytes[n - 1] === 0x8b) return 2;
  return 0;
}

export async function gunzipNative(
  input: ReadableStreamDefaultReader<Uint8Array>,
  emit: Emit,
  signal: AbortSignal,
  create: GzipNativeFactory = nativeGunzip,
  opts: GzipDecoderOptions = {},
): Promise<void> {
  let session = openSession(create, emit);
  /** Compressed bytes of the current member since `memberStart`, or null past REPLAY_BYTES. */
  let replay: Uint8Array[] | null = [];
  let replayBytes = 0;
  let memberStart = 0;
  /** Trailing garbage was reported: everything after it is dropped. */
  let ignoring = false;
  let offset = 0; // compressed offset of the next byte read from input
  let carry = new Uint8Array(0);
  let padding = false; // the last member ended; only zeros may follow
  let sawInput = false;
  let members = 0;
  let memberBytes = 0;
  let pako: PushDecoder | undefined; // set once we hand the rest of the stream to pako

  let pakoBase = 0;
  /** pako counts offsets from where it took over. */
  const rebase = (e: unknown, at: number): CodecError => {
    if (!(e instanceof CodecError)) return toCodecError(e, at);
    if (e.offset === undefined) return e;
    const offset = e.offset + pakoBase;
    return new CodecError(e.code, e.message.replace(/ \(at compressed byte \d+\)$/, ''), offset, { cause: e.cause });
  };

  const abandon = (): void => {
    pako?.dispose();
    session.writer.abort(signal.reason).catch(() => {});
  };
  // A write blocked on backpressure only wakes up if the decoder is torn down.
  signal.addEventListener('abort', abandon, { once: true });

  /** Trailing garbage: a warning when the caller takes one (the rest is then dropped), else an error. */
  const garbage = (at: number, message: string): void => {
    if (!opts.onTrailingGarbage) throw new CodecError('gzip-trailing-garbage', message, at);
    ignoring = true;
    opts.onTrailingGarbage(at);
  };
  /** Output of the members before pako took over: its onMember counts from there. */
  let pakoPlain = 0;
  const pakoOptions: GzipDecoderOptions = {
    ...(opts.onTrailingGarbage ? { onTrailingGarbage: (at: number) => garbage(at + pakoBase, 'bytes after the last gzip member') } : {}),
    ...(opts.onMember ? { onMember: (at: number, plain: number) => opts.onMember!(at + pakoBase, plain + pakoPlain) } : {}),
  };

  const checkPadding = (bytes: Uint8Array, at: number): void => {
    const bad = bytes.findIndex((b) => b !== 0);
    if (bad !== -1) garbage(at + bad, 'bytes after the last gzip member');
  };

  const record = (bytes: Uint8Array): void => {
    if (replay === null) return;
    replayBytes += bytes.length;
    if (replayBytes > REPLAY_BYTES) replay = null;
    else replay.push(bytes);
  };

  /** Output of a replay that the platform decoder had already emitted: pako's first bytes. */
  let skip = 0;
  const emitPako = async (out: Uint8Array): Promise<void> => {
    if (skip >= out.length) { skip -= out.length; return; }
    const rest = skip > 0 ? out.subarray(skip) : out;
    skip = 0;
    await emit(rest);
  };

  /** Hands the stream to pako from the start of the current member (see REPLAY_BYTES). */
  const replayWithPako = async (): Promise<void> => {
    const held = replay!;
    skip = session.out;
    session.writer.abort(signal.reason).catch(() => {});
    pako = createPakoGzipDecoder(pakoOptions);
    pakoBase = memberStart;
    replay = null;
    try {
      for (const bytes of held) for (const out of pako.push(bytes)) await emitPako(out);
    } catch (e) {
      throw rebase(e, memberStart);
    }
  };

  /** Classifies a rejected write: a member boundary, padding, or a failure (replayed or thrown). */
  const failed = async (e: unknown, piece: Pick<Piece, 'kind' | 'offset'>): Promise<'padding' | 'boundary' | 'handled'> => {
    const failure = (await session.drained) ?? e;
    if (signal.aborted) throw abortError(signal);
    // One failure can surface twice (a pending write and the writer's readiness): handled once.
    if (pako || ignoring) return 'handled';
    if (isJunk(failure) && piece.kind === 'zeros') return 'padding';
    // RFC 1952 2.3.1: the trailer's last field, ISIZE, is the member's length mod 2^32.
    const r = session.recent;
    const isize = r.length >= 4
      ? (r[r.length - 4]! | (r[r.length - 3]! << 8) | (r[r.length - 2]! << 16) | (r[r.length - 1]! << 24)) >>> 0
      : -1;
    if (isJunk(failure) && piece.kind === 'header' && isize === session.out >>> 0) return 'boundary';
    if (replay !== null) { await replayWithPako(); return 'handled'; }
    if (!isJunk(failure)) throw toCodecError(failure, piece.offset);
    if (piece.kind === 'header') {
      throw new CodecError('gzip-corrupt', `member ended with ISIZE ${isize} but ${session.out} bytes were produced`, piece.offset);
    }
    garbage(piece.offset, 'bytes after the end of a gzip member');
    return 'handled';
  };

  // Data pieces are pipelined as pipeTo would (awaiting each write cost ~30% in Node, where zlib
  // runs off-thread); only a probe waits for everything before it to be decoded.
  let inFlight: { done: Promise<void>; offset: number } | undefined;
  const settle = async (): Promise<void> => {
    const f = inFlight;
    inFlight = undefined;
    if (f) await f.done.catch((e: unknown) => failed(e, { kind: 'data', offset: f.offset }));
  };

  /** Writes one piece; returns normally, or restarts the session at a member boundary. */
  const write = async (piece: Piece): Promise<void> => {
    if (ignoring) return;
    if (padding) { checkPadding(piece.bytes, piece.offset); return; }
    if (piece.bytes.length === 0) return;
    if (pako) {
      try {
        for (const out of pako.push(piece.bytes)) await emitPako(out);
      } catch (e) {
        throw rebase(e, piece.offset);
      }
      return;
    }
    if (piece.kind === 'data') {
      let handled = false;
      await session.writer.ready.catch(async (e: unknown) => { handled = (await failed(e, piece)) === 'handled'; });
      if (handled) return write(piece);
      record(piece.bytes);
      const done = session.writer.write(piece.bytes);
      done.catch(() => {}); // observed by settle()
      inFlight = { done, offset: piece.offset };
      remember(session, piece.bytes);
      return;
    }
    await settle();
    if (pako || ignoring) return write(piece);
    record(piece.bytes);
    try {
      await session.writer.write(piece.bytes);
      remember(session, piece.bytes);
      return;
    } catch (e) {
      const how = await failed(e, piece);
      if (how === 'handled') return;
      if (how === 'padding') { padding = true; return; }
      members++;
      memberBytes += session.out;
      opts.onMember?.(piece.offset, memberBytes);
      if (members >= SMALL_MEMBERS_SEEN && memberBytes / members < SMALL_MEMBER_BYTES) {
        pakoPlain = memberBytes;
        pako = createPakoGzipDecoder(pakoOptions);
        pakoBase = piece.offset;
      } else {
        session = openSession(create, emit);
        replay = [];
        replayBytes = 0;
        memberStart = piece.offset;
      }
      await write({ ...piece, kind: 'data' });
    }
  };

  /** The platform decoder failed at the end of input: replay if we can, else report it. */
  const failedAtEnd = async (e: unknown): Promise<void> => {
    if (replay === null) throw toCodecError(e, offset);
    await replayWithPako();
    await finishPako();
  };

  const finishPako = async (): Promise<void> => {
    try {
      for (const out of pako!.end()) await emitPako(out);
    } catch (e) {
      throw rebase(e, offset);
    }
  };

  try {
    for (;;) {
      const { done, value } = await input.read();
      if (signal.aborted) throw abortError(signal);
      if (done) break;
      if (value.length === 0) continue;
      sawInput = true;
      let bytes = value;
      if (carry.length) {
        bytes = new Uint8Array(carry.length + value.length);
        bytes.set(carry);
        bytes.set(value, carry.length);
      }
      const base = offset - carry.length;
      offset += value.length;
      const hold = heldBack(bytes);
      carry = bytes.slice(bytes.length - hold);
      for (const piece of splitChunk(bytes.subarray(0, bytes.length - hold), base)) await write(piece);
    }
    if (carry.length) await write({ bytes: carry, offset: offset - carry.length, kind: 'data' });
    await settle();
    if (!sawInput) throw new CodecError('gzip-truncated', 'empty gzip stream', 0);
    if (pako) return await finishPako();
    if (padding || ignoring) return;
    try {
      await session.writer.close();
    } catch (e) {
      return await failedAtEnd((await session.drained) ?? e);
    }
    const failure = await session.drained;
    if (failure !== undefined) await failedAtEnd(failure);
  } catch (e) {
    abandon();
    throw e;
  } finally {
    signal.removeEventListener('abort', abandon);
  }
}
