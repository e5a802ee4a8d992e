// Image ids unique across a load, given without touching the records they name: the same image
// dropped twice becomes `id#2`, and an untagged image is named after its file. The page learns
// these ids from the summary, and the session and the warnings (Warning.image) use the same ones.

import type { ArchiveResult } from '../core/pipeline/read-archive';
import type { ArchiveSummary, ImageRecord } from '../core/image/model';
import { toImageId, type ImageId, type Warning } from '../core/types';

/** One source's images under their load-wide names, by position. */
export interface ImageNames {
  summary(s: ArchiveSummary): ArchiveSummary;
  result(r: ArchiveResult): ArchiveResult;
}

export class ImageIds {
  private readonly taken = new Set<ImageId>();

  assign(images: readonly ImageRecord[], file: string): ImageNames {
    const ids = images.map((img) => {
      let id = img.id;
      for (let n = 2; this.taken.has(id); n++) id = toImageId(`${img.id}#${n}`);
      this.taken.add(id);
      return id;
    });
    // A warning names the image by the id the reader gave it; two images read with one id (one
    // manifest listed twice) share their layers, so the first one's name serves.
    const renamed = new Map<ImageId, ImageId>();
    images.forEach((img, i) => { if (!renamed.has(img.id)) renamed.set(img.id, ids[i]!); });
    const warning = (w: Warning): Warning => {
      const id = w.image === undefined ? undefined : renamed.get(w.image);
      return id === undefined ? w : { ...w, image: id };
    };
    const name = (r: ImageRecord, i: number): ImageRecord => ({ ...r, id: ids[i] ?? r.id, tags: r.tags.length > 0 ? r.tags : [file] });
    const summary = (s: ArchiveSummary): ArchiveSummary => ({ ...s, images: s.images.map(name), warnings: s.warnings.map(warning) });
    return {
      summary,
      result: (r) => ({ ...r, summary: summary(r.summary), images: r.images.map((img, i) => ({ ...img, record: name(img.record, i) })) }),
    };
  }
}
