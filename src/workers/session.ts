// What the engine worker keeps of a load: every image with its indexed layers. Queries answer from
// here, so per-file data never crosses to the page except as the windows it asks for.

import type { ArchiveResult } from '../core/pipeline/read-archive';
import { buildReport } from '../core/report/json-report';
import type { EngineQuery, ImageAnalysis } from './protocol';

export class Session {
  private readonly archives: ArchiveResult[] = [];

  /** Adds a read archive; returns the analyses of its images. */
  addArchive(result: ArchiveResult): ImageAnalysis[] {
    this.archives.push(result);
    return [];
  }

  answer(query: EngineQuery): unknown {
    switch (query.kind) {
      case 'report':
        return this.archives.map((a) => buildReport({ summary: a.summary, images: a.images }));
      default:
        throw new Error(`${query.kind} is not available yet`);
    }
  }
}
