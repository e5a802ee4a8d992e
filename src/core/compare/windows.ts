// What the page asks of a comparison: a bounded summary (the report with only the largest paths)
// and windows of the differing paths for a virtualised list, filtered by change and text, built
// from the comparison's columns once per filter. Nothing per file crosses to the page but the rows
// of the window it shows.

import type { ImageComparison } from './compare-images';
import { PATH_CHANGE_NAMES, type PathChangeName } from './diff-files';
import { compareReport, pathRow } from './report';
import type { ComparePathRow, CompareReport } from './types';

/** The report with `paths` cut to the largest `limit` (by bytes changed); `pathsTotal` says how many differ. */
export type CompareSummary = CompareReport & { pathsTotal: number };

export function compareSummary(c: ImageComparison, limit: number): CompareSummary {
  const report = compareReport(c, { pathLimit: limit });
  return { ...report, pathsTotal: c.files.paths.count };
}

export interface PathWindowRequest {
  changes: readonly PathChangeName[];
  /** Substring of the path (no leading '/'); '' for all. */
  text: string;
  offset: number;
  limit: number;
}

export interface PathWindow {
  total: number;
  offset: number;
  rows: ComparePathRow[];
}

export class ComparePathWindows {
  private key = '';
  private rowsOf: Int32Array = new Int32Array(0);

  constructor(private readonly c: ImageComparison) {}

  window(req: PathWindowRequest): PathWindow {
    const key = JSON.stringify([[...req.changes].sort(), req.text]);
    if (key !== this.key) {
      this.rowsOf = this.filter(req);
      this.key = key;
    }
    const offset = Math.max(0, Math.min(req.offset, this.rowsOf.length));
    const end = Math.min(this.rowsOf.length, offset + Math.max(0, Math.min(req.limit, 2000)));
    const rows: ComparePathRow[] = [];
    for (let i = offset; i < end; i++) rows.push(pathRow(this.c.files, this.rowsOf[i]!));
    return { total: this.rowsOf.length, offset, rows };
  }

  private filter(req: PathWindowRequest): Int32Array {
    const p = this.c.files.paths;
    const want = new Set(req.changes);
    const out: number[] = [];
    for (let i = 0; i < p.count; i++) {
      if (!want.has(PATH_CHANGE_NAMES[p.change[i]!]!)) continue;
      if (req.text && !pathRow(this.c.files, i).path.includes(req.text)) continue;
      out.push(i);
    }
    return Int32Array.from(out);
  }
}
