// What the engine worker keeps of a load: every image with its merged filesystem and analyses.
// Queries answer from here, so per-file data never crosses to the page except as the windows and
// bounded summaries it asks for.

import type { ArchiveResult } from '../core/pipeline/read-archive';
import type { LayerIndex } from '../core/index/layer-index';
import { buildReport } from '../core/report/json-report';
import { reportParts } from '../core/report/extras';
import type { StrataReport } from '../core/report/report-format';
import { diveSummary } from '../core/analysis/dive';
import type { ImageId, Warning } from '../core/types';
import { analyseImage, type ImageAnalysisResult } from '../core/analysis/analyse-image';
import { TreeWindows } from '../core/views/tree-rows';
import { invisibleMap, largestDirs, largestFiles, sizeMap } from '../core/views/size-map';
import { compareImages, type ImageComparison } from '../core/compare/compare-images';
import { ComparePathWindows, compareSummary } from '../core/compare/windows';
import { layerBytesOf, readFileContent, type FileContent } from '../core/contents';
import { lineDiff } from '../core/contents/line-diff';
import type { ComparePair, ContentProgress, EngineAnswers, EngineQuery, ImageAnalysis, QueryKind, QueryOf } from './protocol';

/** Queries answered at once, from what is in memory; `fileContent` reads a layer and is async. */
export type SyncQueryKind = Exclude<QueryKind, 'fileContent'>;

/** What an async query gets besides its question: cancellation and a way to say how far it is. */
export interface QueryContext {
  signal?: AbortSignal;
  onProgress?: (p: ContentProgress) => void;
}

interface Loaded {
  archive: ArchiveResult;
  index: number;
  analysis: ImageAnalysisResult;
  windows: TreeWindows;
  /** The layer indexes merged, to reuse the merge when the next result holds the same ones. */
  entries: readonly LayerIndex[];
  /** Analysed for the tree only (a partial result): no packages or findings. */
  treeOnly: boolean;
  /** Answers of the bounded whole-image queries (sizeMap, largest), by query. */
  answers: Map<string, unknown>;
}

export class Session {
  private readonly archives: ArchiveResult[] = [];
  private readonly images = new Map<ImageId, Loaded>();
  /** The last comparison asked for (the page shows one pair at a time), with its path windows. */
  private compared: { key: string; comparison: ImageComparison; windows: ComparePathWindows } | undefined;

  /** What each source shows now (its quick or partial result), replaced by its next result. */
  private readonly shownBy = new Map<object, ArchiveResult>();

  /**
   * Adds a read archive, merges and analyses each of its images; returns their summaries. With
   * `of`, what that source showed before (its quick headers-only result, or a partial one) is
   * superseded, and dropped before the new merges are made: the engine never holds two merges
   * of an image. A result that is not `final` is remembered as what the source shows until its next.
   */
  addArchive(archive: ArchiveResult, of?: { source: object; final: boolean }): ImageAnalysis[] {
    const before = of ? this.release(of.source, archive) : new Map<ImageId, Loaded>();
    if (of && !of.final) this.shownBy.set(of.source, archive);
    this.archives.push(archive);
    this.compared = undefined;
    // A partial result (compressed layers still being read) skips the images with no layer yet.
    const shown = archive.images.map((img, index) => ({ img, index })).filter(({ img }) => !archive.partial || img.layers.length > 0);
    return shown.map(({ img, index }) => {
      // Ids were made unique across the load before its summary was posted (loader-ids.ts).
      const id = img.record.id;
      const entries = img.layers.map((l) => l.entries);
      // The same layer indexes as before (an image whose prefix did not grow, or the final result
      // of layers the partial one already held): the merge and analyses stand.
      const prev = before.get(id);
      // A partial result gets the tree and the per-layer figures only (its size view waits for the final).
      const treeOnly = archive.partial === true;
      const analysis = prev ? prev.analysis : analyseImage(img, archive.results, { treeOnly });
      this.images.set(id, { archive, index, analysis, windows: prev ? prev.windows : new TreeWindows(analysis.merged), entries, treeOnly, answers: prev ? prev.answers : new Map() });
      const of = img.record.layers.length;
      return {
        ...(archive.partial && img.layers.length < of ? { partial: { layers: img.layers.length, of } } : {}),
        imageId: id,
        dive: diveSummary(analysis.dive),
        reclaimableBytes: analysis.reclaim.totalBytes,
        layers: analysis.layerStats.map((s) => ({
          index: s.index, added: s.added, modified: s.modified, meta: s.meta, removed: s.removed,
          unchanged: s.unchanged, removedBytes: s.removedBytes, reclaimableBytes: s.reclaimableBytes,
        })),
      };
    });
  }

  /** The merge's warnings for each image of an added archive, each naming its image. */
  mergeWarnings(archive: ArchiveResult): Warning[] {
    const out: Warning[] = [];
    for (const [id, img] of this.images) {
      if (img.archive === archive) out.push(...img.analysis.merged.state.warnings.map((w) => ({ ...w, image: id })));
    }
    return out;
  }

  /**
   * Forgets what `source` showed; keeps (to reuse) the images whose merge `next` would repeat: the
   * same layer indexes, analysed the same way. Its own frame, so nothing else of it stays alive.
   */
  private release(source: object, next: ArchiveResult): Map<ImageId, Loaded> {
    const keep = new Map<ImageId, Loaded>();
    const old = this.shownBy.get(source);
    if (!old) return keep;
    this.shownBy.delete(source);
    const at = this.archives.indexOf(old);
    if (at >= 0) this.archives.splice(at, 1);
    for (const [id, img] of this.images) {
      if (img.archive !== old) continue;
      this.images.delete(id);
      const entries = next.images.find((i) => i.record.id === id)?.layers.map((l) => l.entries);
      const same = entries !== undefined && img.treeOnly === (next.partial === true)
        && img.entries.length === entries.length && img.entries.every((e, i) => e === entries[i]);
      if (same) keep.set(id, img);
    }
    return keep;
  }

  /** Answers one query from what is loaded; throws (the page sees the message) on an unknown image. */
  answer<K extends SyncQueryKind>(query: QueryOf<K>): EngineAnswers[K] {
    // One handler per kind, typed by EngineAnswers; TypeScript cannot relate `query.kind` to the
    // handler's parameter on its own (a correlated union), hence the one cast here.
    const handle = this.handlers[(query as EngineQuery).kind as K] as (q: QueryOf<K>) => EngineAnswers[K];
    return handle(query);
  }

  /** Any query: the in-memory ones answered at once, a file's contents once read. */
  respond<K extends QueryKind>(query: QueryOf<K>, ctx: QueryContext = {}): EngineAnswers[K] | Promise<EngineAnswers[K]> {
    if ((query as EngineQuery).kind === 'fileContent') return this.fileContent(query as QueryOf<'fileContent'>, ctx) as Promise<EngineAnswers[K]>;
    return this.answer(query as QueryOf<SyncQueryKind>) as EngineAnswers[K];
  }

  /** A window of one file's bytes, read from the layer holding the copy the view shows. */
  fileContent(q: QueryOf<'fileContent'>, ctx: QueryContext = {}): Promise<FileContent> {
    const img = this.image(q.imageId);
    const image = img.archive.images[img.index]!;
    const layerBytes = layerBytesOf(img.archive, image);
    return readFileContent(img.analysis.merged, q.view, q.path, q.offset, q.length, {
      layerBytes, ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    });
  }

  private readonly handlers: { [K in SyncQueryKind]: (q: QueryOf<K>) => EngineAnswers[K] } = {
    report: (q) => {
      const archive = q.imageId ? this.image(q.imageId).archive : this.archives[0];
      if (!archive) throw new Error('nothing is loaded');
      return this.report(archive);
    },
    treeRows: (q) => this.image(q.request.imageId).windows.rows(q.request),
    rowOf: (q) => this.image(q.request.imageId).windows.rowOf(q.request, q.path),
    details: (q) => this.image(q.imageId).windows.details(q.view, q.path) ?? null,
    sizeMap: (q) => this.remember(q.imageId, `sizeMap|${q.invisible}|${q.path}`, () => {
      const { analysis } = this.image(q.imageId);
      return q.invisible ? invisibleMap(analysis.merged, analysis.reclaim) : sizeMap(analysis.merged, q.path) ?? null;
    }),
    largest: (q) => this.remember(q.imageId, `largest|${q.limit}`, () => {
      const { merged } = this.image(q.imageId).analysis;
      return { files: largestFiles(merged, q.limit), dirs: largestDirs(merged, q.limit) };
    }),
    packages: (q) => {
      const { analysis } = this.image(q.imageId);
      return { packages: analysis.packages, unowned: analysis.unowned, warnings: analysis.warnings };
    },
    findings: (q) => this.image(q.imageId).analysis.findings,
    compare: (q) => compareSummary(this.comparison(q.pair).comparison, q.pathLimit),
    comparePaths: (q) => this.comparison(q.pair).windows.window(q.request),
    lineDiff: (q) => lineDiff(q.a, q.b),
  };

  private comparison(pair: ComparePair): NonNullable<Session['compared']> {
    const key = JSON.stringify([pair.a, pair.b, pair.includeMtime ?? false, pair.ignore ?? []]);
    if (this.compared?.key === key) return this.compared;
    const side = (id: ImageId) => {
      const img = this.image(id);
      const image = img.archive.images[img.index]!;
      return { name: image.record.tags[0] ?? id, image, analysis: img.analysis };
    };
    const comparison = compareImages(side(pair.a), side(pair.b), { includeMtime: pair.includeMtime, ignore: pair.ignore });
    this.compared = { key, comparison, windows: new ComparePathWindows(comparison) };
    return this.compared;
  }

  /**
   * The answer already computed for this image's current analysis: opening the "Why so large"
   * tab again walks the whole filesystem for the treemap and the largest lists otherwise.
   */
  private remember<T>(id: ImageId, key: string, compute: () => T): T {
    const answers = this.image(id).answers;
    if (answers.has(key)) return answers.get(key) as T;
    const value = compute();
    if (answers.size >= 64) answers.clear(); // a treemap walked directory by directory stays bounded
    answers.set(key, value);
    return value;
  }

  private image(id: ImageId): Loaded {
    const img = this.images.get(id);
    if (!img) throw new Error(`no image ${id} in this load`);
    return img;
  }

  /** The same JSON the command line writes, for "Download report". */
  private report(a: ArchiveResult): StrataReport {
    if (a.partial) throw new Error('the report is ready once every layer is read');
    const analyses = a.images.map((img) => this.image(img.record.id).analysis);
    return buildReport({ summary: a.summary, images: a.images, ...reportParts(a.images, analyses) });
  }
}
