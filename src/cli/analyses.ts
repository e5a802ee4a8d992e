// The analyses the CLI runs over a read archive, computed once per image on first use.

import { analyseImage, type ImageAnalysisResult } from '../core/analysis/analyse-image';
import { formatLs, FINAL, type View } from '../core/merge';
import type { ArchiveResult } from '../core/pipeline/read-archive';
import type { ReportInput } from '../core/report/json-report';
import { reportParts } from '../core/report/extras';
import type { Warning } from '../core/types';

export function analyseImages(result: ArchiveResult) {
  const cache = new Map<number, ImageAnalysisResult>();
  const get = (k: number) => {
    let a = cache.get(k);
    if (!a) { a = analyseImage(result.images[k]!, result.results); cache.set(k, a); }
    return a;
  };
  return {
    get,
    reportParts(): Pick<ReportInput, 'dive' | 'extras' | 'mergeWarnings'> {
      return reportParts(result.images, result.images.map((_, k) => get(k)));
    },
    listFiles(k: number, layer?: number): string[] | string {
      const image = result.images[k];
      if (!image) return `--image ${k}: the archive has ${result.images.length} image(s), numbered from 0`;
      if (layer !== undefined && !(Number.isInteger(layer) && layer >= 0 && layer < image.layers.length)) {
        return `--layer ${layer}: image ${k} has ${image.layers.length} layers, numbered from 0`;
      }
      const view: View = layer === undefined ? FINAL : { mode: 'upTo', layer };
      return [...formatLs(get(k).merged, view)];
    },
    /** What could make a listing differ from the image: the archive's warnings and the merge's. */
    listWarnings(k: number): Warning[] {
      return [...result.summary.warnings, ...(result.images[k] ? get(k).merged.state.warnings : [])];
    },
  };
}
