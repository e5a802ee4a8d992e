// An image archive (what `docker save`, `podman save`, `skopeo copy oci-archive:` or kaniko wrote,
// or a plain filesystem tar, each perhaps wrapped in gzip or zstd) as an ImageSource, recognised
// by its first bytes, never its name.

import { decompressStream } from '../codec';
import { FormatError } from '../image/json';
import { resolveLayout, type LayerPlan } from '../image/layout';
import type { LayerResult } from '../pipeline/index-layer';
import { sniffArchive } from './sniff';
import type { Compression, Warning } from '../types';
import { listTar, streamArchive, type OuterEntries } from './outer-tar';
import { abortable } from './streams';
import type { ByteSource, ImageSource, ListOptions, SourceListing } from './types';


/** A source that can cut sub-ranges of itself: a Blob, a file. */
export type SeekableSource = ByteSource & Required<Pick<ByteSource, 'slice'>>;


/** The entry a plain tar's one layer is planned under: the whole archive. */
export const WHOLE_ARCHIVE = '';

/**
 * An archive file as an ImageSource. list() recognises it by its first bytes: an uncompressed
 * archive is listed by seeking from header to header and each layer is a slice of it; a compressed
 * one allows no seeking, so list() reads it in one pass that keeps the small entries and indexes
 * the layers on the way, and indexed() hands those results over.
 */
export class TarImageSource implements ImageSource {
  readonly name: string;
  private entries: OuterEntries | undefined;
  private outer: Compression = 'none';
  /** Layers indexed while streaming a compressed archive, by entry path. */
  private streamed: Map<string, Promise<LayerResult>> | undefined;

  /** `name` (the file's) is for messages only. */
  constructor(private readonly bytes: SeekableSource, name = 'archive') {
    this.name = name;
  }

  async list(signal?: AbortSignal, opts: ListOptions = {}): Promise<SourceListing> {
    const head = await this.bytes.read(0, 1024, signal);
    this.outer = sniffArchive(head, this.name).outer;
    const warnings: Warning[] = [];
    if (this.outer === 'none') {
      this.entries = await listTar(this.bytes, warnings, signal).finally(() => this.bytes.close?.());
    } else {
      const s = await streamArchive(this.bytes, this.outer, warnings, {
        ...(signal ? { signal } : {}),
        ...(opts.verify !== undefined ? { verify: opts.verify } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      this.entries = s.entries;
      this.streamed = s.layers;
    }
    return this.listing(this.entries, warnings, opts.platform);
  }

  read(entry: string): Promise<Uint8Array> {
    return this.listed().read(entry);
  }

  layer(plan: LayerPlan): ByteSource {
    if (plan.entry === WHOLE_ARCHIVE) return this.bytes;
    const e = this.listed().get(plan.entry);
    if (!e) throw new FormatError(`${plan.entry} is not in the archive`, plan.entry);
    // Inside a compressed archive a layer is readable only by decompressing up to it.
    return this.outer === 'none'
      ? this.bytes.slice(e.dataOffset, e.dataOffset + e.size)
      : new InnerRange(this.bytes, this.outer, e.dataOffset, e.size);
  }

  indexed(plan: LayerPlan): Promise<LayerResult> | undefined {
    if (!this.streamed || plan.entry === WHOLE_ARCHIVE) return undefined;
    return this.streamed.get(plan.entry) ?? Promise.reject(new FormatError(`layer ${plan.entry} was not indexed while streaming`, plan.entry));
  }

  private listed(): OuterEntries {
    if (!this.entries) throw new Error(`${this.name}: list() the archive before reading it`);
    return this.entries;
  }

  /** What the listed entries hold: the images, or one plain-tar layer when no layout is found. */
  private async listing(entries: OuterEntries, warnings: Warning[], platform: string | undefined): Promise<SourceListing> {
    const resolution = await resolveLayout(entries, platform ? { platform } : {});
    if (!resolution) {
      warnings.push({ code: 'plain-tar', message: `${this.name} is a plain tar, not an image (no manifest.json or OCI index.json): opened as a one-layer filesystem` });
      return {
        format: 'plain-tar', outerCompression: this.outer, otherPlatforms: [], attestations: 0, warnings,
        images: [{ tags: [], configEntry: '', layers: [{ entry: WHOLE_ARCHIVE }] }],
      };
    }
    return {
      format: resolution.format, outerCompression: this.outer, images: resolution.images,
      otherPlatforms: resolution.otherPlatforms, attestations: resolution.attestations,
      warnings: [...warnings, ...resolution.warnings],
    };
  }
}

/** [start, start + size) of the decompressed form of a compressed source. */
class InnerRange implements ByteSource {
  constructor(private readonly outer: ByteSource, private readonly compression: Compression, private readonly start: number, readonly size: number) {}

  stream(from = 0, to = this.size, signal?: AbortSignal): ReadableStream<Uint8Array> {
    // Junk after the last gzip member lies past every entry; the archive pass reports it once.
    const plain = decompressStream(this.compression, this.outer.stream(0, this.outer.size, signal), { ...(signal ? { signal } : {}), onWarning: () => undefined });
    return abortable(cut(plain, this.start + from, this.start + Math.min(to, this.size)), signal);
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    const out = new Uint8Array(Math.max(0, Math.min(length, this.size - offset)));
    let n = 0;
    const reader = this.stream(offset, offset + out.length, signal).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) { out.set(r.value, n); n += r.value.length; }
    return out.subarray(0, n);
  }
}

/** The bytes of `input` in [from, to). */
function cut(input: ReadableStream<Uint8Array>, from: number, to: number): ReadableStream<Uint8Array> {
  const reader = input.getReader();
  let at = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (at >= to) { controller.close(); void reader.cancel().catch(() => undefined); return; }
        const { value, done } = await reader.read();
        if (done) { controller.close(); return; }
        const start = at;
        at += value.length;
        if (at <= from) continue;
        controller.enqueue(value.subarray(Math.max(0, from - start), Math.min(value.length, to - start)));
        return;
      }
    },
    cancel(reason) { return reader.cancel(reason); },
  });
}
