// Image ids unique across a load, given without touching the records they name: the same image
// dropped twice becomes `id#2`, and an untagged image is named after its file. The page learns
// these ids from the summary, and the session answers to the same ones.

import type { ArchiveResult } from '../core/pipeline/read-archive';
import type { ArchiveSummary, ImageRecord } from '../core/image/model';

/** One source's images under their load-wide names, by position. */
export interface ImageNames {
  summary(s: ArchiveSummary): ArchiveSummary;
  result(r: ArchiveResult): ArchiveResult;
}

export class ImageIds {
  private readonly taken = new Set<string>();

  assign(images: readonly ImageRecord[], file: string): ImageNames {
    const ids = images.map((img) => {
      let id = img.id;
      for (let n = 2; this.taken.has(id); n++) id = `${img.id}#${n}`;
      this.taken.add(id);
      return id;
    });
    const name = (r: ImageRecord, i: number): ImageRecord => ({ ...r, id: ids[i] ?? r.id, tags: r.tags.length > 0 ? r.tags : [file] });
    return {
      summary: (s) => ({ ...s, images: s.images.map(name) }),
      result: (r) => ({
        ...r,
        summary: { ...r.summary, images: r.summary.images.map(name) },
        images: r.images.map((img, i) => ({ ...img, record: name(img.record, i) })),
      }),
    };
  }
}
