// A dropped folder holding an OCI image layout (image-spec, "Image Layout": oci-layout, index.json,
// blobs/<alg>/<hex>) as an ImageSource: each file is read where it is, a layer is its blob's file.
// Nothing is copied or composed into a tar, so a blob of any size reads like any other.

import { FormatError, MAX_JSON_BYTES } from '../image/json';
import { resolveLayout, type EntryLookup, type LayerPlan } from '../image/layout';
import { normalisePath } from '../tar';
import { BlobByteSource } from './blob-source';
import type { ByteSource, ImageSource, ListOptions, SourceListing } from './types';

export class FolderImageSource implements ImageSource, EntryLookup {
  private readonly files = new Map<string, Blob>();

  /** `files` by their path inside the folder (`blobs/sha256/<hex>`); `name` is for messages. */
  constructor(readonly name: string, files: Iterable<[string, Blob]>) {
    for (const [path, blob] of files) this.files.set(normalisePath(path).path, blob);
  }

  async list(_signal?: AbortSignal, opts: ListOptions = {}): Promise<SourceListing> {
    const resolution = await resolveLayout(this, opts.platform ? { platform: opts.platform } : {});
    if (!resolution) throw new FormatError(`${this.name} is not an image folder: it has neither oci-layout with index.json nor manifest.json`);
    return { ...resolution, outerCompression: 'none' };
  }

  resolve(path: string): string | undefined {
    const p = normalisePath(path).path;
    return this.files.has(p) ? p : undefined;
  }

  async read(entry: string): Promise<Uint8Array> {
    const file = this.files.get(this.resolve(entry) ?? '');
    if (!file) throw new FormatError(`${entry} is not in ${this.name}`, entry);
    if (file.size > MAX_JSON_BYTES) throw new FormatError(`${entry} is ${file.size} bytes: too large to be image metadata`, entry);
    return new Uint8Array(await file.arrayBuffer());
  }

  layer(plan: LayerPlan): ByteSource {
    const file = this.files.get(this.resolve(plan.entry) ?? '');
    if (!file) throw new FormatError(`${plan.entry} is not in ${this.name}`, plan.entry);
    return new BlobByteSource(file);
  }
}
