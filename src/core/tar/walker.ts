// Streaming tar walker: push chunks of any size, get entries and (optionally) bodies.
// Only a partial 512-byte block or an extended header's body is ever buffered; entry bodies pass
// to sinks as subarrays of the pushed chunks.

import { HeaderDecoder, Step, type DecoderOptions } from './header-decoder';
import { isZeroBlock } from './fields';
import { BLOCK, padding, type BodySink, type TarVisitor, type TarWarning } from './types';

const enum S { Block, Meta, Body, Skip, Trailer, Done }

export class TarWalker {
  entries = 0;
  private state = S.Block;
  private pos = 0;
  private readonly buf = new Uint8Array(BLOCK);
  private have = 0;
  /** Bytes left of the body, extended header or padding being read. */
  private remaining = 0;
  /** Padding to skip once the body or extended header is complete. */
  private pad = 0;
  private sink: BodySink | null = null;
  private meta: Uint8Array | null = null;
  /** The record in progress, for truncation warnings. */
  private recordOffset = -1;
  private recordName: string | undefined;
  private readonly decoder: HeaderDecoder;
  private readonly warn: (w: TarWarning) => void;

  constructor(private readonly visitor: TarVisitor, opts: DecoderOptions = {}) {
    this.warn = (w) => visitor.onWarning?.(w);
    this.decoder = new HeaderDecoder(this.warn, opts);
  }

  /** Bytes of the archive consumed so far; after the end marker, the archive's length. */
  get position(): number {
    return this.pos;
  }

  /** The end-of-archive marker was read (with the block after it, or end()), or the archive
   *  could not be read further: later pushes are ignored. */
  get finished(): boolean {
    return this.state === S.Done;
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.state) {
        case S.Body: i = this.body(chunk, i); break;
        case S.Skip: i = this.skip(chunk, i); break;
        case S.Meta: i = this.gatherMeta(chunk, i); break;
        case S.Block: i = this.gatherBlock(chunk, i); break;
        case S.Trailer: i = this.trailer(chunk, i); break;
        default: return;
      }
    }
  }

  /** The input is complete. Warns `tar-truncated` if it stopped inside a header or a body. */
  end(): void {
    const s = this.state;
    if (s === S.Trailer || s === S.Done) {
      this.state = S.Done;
      return;
    }
    const pending = this.decoder.pendingOffset;
    const midBlock = s === S.Block && (this.have > 0 || pending >= 0);
    if (midBlock || s !== S.Block) {
      const offset = pending >= 0 ? pending : this.recordOffset >= 0 ? this.recordOffset : this.pos - this.have;
      const entry = this.recordName ?? this.decoder.pendingName;
      const what = entry === undefined ? 'a header' : JSON.stringify(entry);
      const message = `archive ends at byte ${this.pos} inside ${what}, which starts at byte ${offset}`;
      this.sink?.abort?.(message);
      this.warn({ code: 'tar-truncated', offset, entry, message });
    }
    this.sink = null;
    this.meta = null;
    this.state = S.Done;
  }

  private body(chunk: Uint8Array, i: number): number {
    const take = Math.min(this.remaining, chunk.length - i);
    if (this.sink && take > 0) this.sink.write(chunk.subarray(i, i + take));
    this.remaining -= take;
    this.pos += take;
    if (this.remaining === 0) {
      const sink = this.sink;
      this.sink = null;
      sink?.end();
      this.startSkip();
    }
    return i + take;
  }

  private skip(chunk: Uint8Array, i: number): number {
    const take = Math.min(this.remaining, chunk.length - i);
    this.remaining -= take;
    this.pos += take;
    if (this.remaining === 0) this.toBlock();
    return i + take;
  }

  private gatherMeta(chunk: Uint8Array, i: number): number {
    const meta = this.meta!;
    const take = Math.min(this.remaining, chunk.length - i);
    meta.set(chunk.subarray(i, i + take), meta.length - this.remaining);
    this.remaining -= take;
    this.pos += take;
    if (this.remaining === 0) {
      this.meta = null;
      this.decoder.meta(meta);
      this.startSkip();
    }
    return i + take;
  }

  /** Hand over a whole block: in place when the chunk holds one, else via the 512-byte buffer. */
  private gatherBlock(chunk: Uint8Array, i: number): number {
    let block: Uint8Array;
    if (this.have === 0 && chunk.length - i >= BLOCK) {
      block = chunk.subarray(i, i + BLOCK);
      i += BLOCK;
      this.pos += BLOCK;
    } else {
      const take = Math.min(BLOCK - this.have, chunk.length - i);
      this.buf.set(chunk.subarray(i, i + take), this.have);
      this.have += take;
      this.pos += take;
      i += take;
      if (this.have < BLOCK) return i;
      this.have = 0;
      block = this.buf;
    }
    this.step(this.decoder.block(block, this.pos - BLOCK));
    return i;
  }

  private step(step: Step): void {
    switch (step) {
      case Step.Block: return;
      case Step.Meta: {
        const d = this.decoder;
        this.recordOffset = this.pos - BLOCK;
        this.recordName = d.pendingName;
        this.remaining = d.metaSize;
        this.pad = padding(d.metaSize);
        this.meta = new Uint8Array(d.metaSize);
        this.state = S.Meta;
        if (d.metaSize === 0) this.gatherMeta(this.meta, 0);
        return;
      }
      case Step.Entry: return this.startEntry();
      case Step.End: this.state = S.Trailer; return;
      default:
        // Unreadable block: the archive, as far as it can be read, ends where that block starts.
        this.pos -= BLOCK;
        this.state = S.Done;
    }
  }

  private startEntry(): void {
    const entry = this.decoder.entry!;
    this.decoder.entry = null;
    this.entries++;
    this.recordOffset = entry.headerOffset;
    this.recordName = entry.rawPath;
    this.sink = this.visitor.onEntry(entry) || null;
    this.remaining = entry.stored;
    this.pad = padding(entry.stored);
    this.state = S.Body;
    if (entry.stored === 0) this.body(this.buf, 0);
  }

  private startSkip(): void {
    this.remaining = this.pad;
    this.pad = 0;
    if (this.remaining === 0) this.toBlock();
    else this.state = S.Skip;
  }

  private toBlock(): void {
    this.state = S.Block;
    this.recordOffset = -1;
    this.recordName = undefined;
  }

  /** After the first zero block: a second one belongs to the archive; anything else is ignored. */
  private trailer(chunk: Uint8Array, i: number): number {
    const take = Math.min(BLOCK - this.have, chunk.length - i);
    this.buf.set(chunk.subarray(i, i + take), this.have);
    this.have += take;
    if (this.have === BLOCK) {
      if (isZeroBlock(this.buf)) this.pos += BLOCK;
      this.have = 0;
      this.state = S.Done;
    }
    return i + take;
  }
}
