// What the engine worker keeps of a load: every image with its merged filesystem and analyses.
// Queries answer from here, so per-file data never crosses to the page except as the windows and
// bounded summaries it asks for.

import type { ArchiveResult } from '../core/pipeline/read-archive';
import { buildReport } from '../core/report/json-report';
import { diveFigures, imageExtras } from '../core/report/extras';
import { analyseImage, type ImageAnalysisResult } from '../core/analysis/analyse-image';
import { TreeWindows } from '../core/views/tree-rows';
import { invisibleMap, largestDirs, largestFiles, sizeMap } from '../core/views/size-map';
import type { EngineQuery, ImageAnalysis } from './protocol';

interface Loaded {
  archive: ArchiveResult;
  index: number;
  analysis: ImageAnalysisResult;
  windows: TreeWindows;
}

export class Session {
  private readonly archives: ArchiveResult[] = [];
  private readonly images = new Map<string, Loaded>();

  /**
   * Adds a read archive, merges and analyses each of its images; returns their summaries.
   * `replace` is the quick (headers-only) result of the same archive, superseded by this one.
   */
  addArchive(archive: ArchiveResult, replace?: ArchiveResult): ImageAnalysis[] {
    if (replace) {
      const at = this.archives.indexOf(replace);
      if (at >= 0) this.archives.splice(at, 1);
      for (const [id, img] of this.images) if (img.archive === replace) this.images.delete(id);
    }
    this.archives.push(archive);
    return archive.images.map((img, index) => {
      const analysis = analyseImage(img, archive.results);
      // Ids were made unique across the load before its summary was posted (loader-ids.ts).
      const id = img.record.id;
      this.images.set(id, { archive, index, analysis, windows: new TreeWindows(analysis.merged) });
      return {
        imageId: id,
        dive: {
          sizeBytes: analysis.dive.sizeBytes,
          userSizeBytes: analysis.dive.userSizeBytes,
          inefficientBytes: analysis.dive.inefficientBytes,
          efficiencyScore: analysis.dive.efficiencyScore,
          userWastedPercent: analysis.dive.userWastedPercent,
        },
        reclaimableBytes: analysis.reclaim.totalBytes,
        layers: analysis.layerStats.map((s) => ({
          index: s.index, added: s.added, modified: s.modified, meta: s.meta, removed: s.removed,
          unchanged: s.unchanged, removedBytes: s.removedBytes, reclaimableBytes: s.reclaimableBytes,
        })),
      };
    });
  }

  answer(query: EngineQuery): unknown {
    switch (query.kind) {
      case 'report': {
        const archive = query.imageId ? this.image(query.imageId).archive : this.archives[0];
        if (!archive) throw new Error('nothing is loaded');
        return this.report(archive);
      }
      case 'treeRows':
        return this.image(query.request.imageId).windows.rows(query.request);
      case 'rowOf':
        return this.image(query.request.imageId).windows.rowOf(query.request, query.path);
      case 'details':
        return this.image(query.imageId).windows.details(query.view, query.path) ?? null;
      case 'sizeMap': {
        const { analysis } = this.image(query.imageId);
        return query.invisible ? invisibleMap(analysis.merged, analysis.reclaim) : sizeMap(analysis.merged, query.path) ?? null;
      }
      case 'largest': {
        const { merged } = this.image(query.imageId).analysis;
        return { files: largestFiles(merged, query.limit), dirs: largestDirs(merged, query.limit) };
      }
      case 'packages': {
        const { analysis } = this.image(query.imageId);
        return { packages: analysis.packages, unowned: analysis.unowned, warnings: analysis.warnings };
      }
      case 'findings':
        return this.image(query.imageId).analysis.findings;
    }
  }

  private image(id: string): Loaded {
    const img = this.images.get(id);
    if (!img) throw new Error(`no image ${id} in this load`);
    return img;
  }

  /** The same JSON the command line writes, for "Download report". */
  private report(a: ArchiveResult) {
    const loaded = a.images.map((img) => this.images.get(img.record.id)!);
    const first = loaded[0];
    return buildReport({
      summary: a.summary,
      images: a.images,
      extras: loaded.map((l) => imageExtras(l.analysis)),
      ...(first ? { dive: diveFigures(a.images[0]!, first.analysis) } : {}),
    });
  }
}
