// The figures the baseline rules judge (`--baseline IMAGE`): this image against an earlier one,
// read from the compare report (core/compare's compareReport over compareImages: `a` is the
// baseline, `b` this image), so they are the very numbers `npm run compare -- BASELINE IMAGE`
// prints and writes. Growth is in dive's size (the sum of the layers' file sizes), as
// `npm run analyze` and compare report it.

import type { CompareReport } from '../compare/types';
import type { ReportCiBaseline } from '../report/report-format';

export type BaselineFigures = ReportCiBaseline;

/** The parts of compare's report the rules read. */
export interface BaselineReportView {
  a: Pick<CompareReport['a'], 'sizeBytes'>;
  b: Pick<CompareReport['b'], 'sizeBytes'>;
  packages: readonly Pick<CompareReport['packages'][number], 'ecosystem' | 'name' | 'change' | 'versionB'>[];
  /** Directories whose bytes differ (paths without a leading '/'). */
  directories: readonly CompareReport['directories'][number][];
}

/** `name`: the baseline as the user named it (`--baseline v1.tar`), for the rules' messages. */
export function baselineFigures(r: BaselineReportView, name: string): BaselineFigures {
  const growthBytes = r.b.sizeBytes - r.a.sizeBytes;
  let directoryGrowth: BaselineFigures['directoryGrowth'] = null;
  // A directory's bytes include its subdirectories', so the largest growth is always a top-level
  // directory's; on a tie the deeper one names where the bytes went (usr -> usr/lib -> usr/lib/x).
  for (const d of r.directories) {
    if (d.delta <= 0) continue;
    if (!directoryGrowth || d.delta > directoryGrowth.delta || (d.delta === directoryGrowth.delta && depth(d.path) > depth(directoryGrowth.path))) {
      directoryGrowth = { path: d.path, sizeA: d.sizeA, sizeB: d.sizeB, delta: d.delta };
    }
  }
  return {
    name,
    sizeBytes: r.a.sizeBytes,
    growthBytes,
    growthPercent: r.a.sizeBytes > 0 ? growthBytes / r.a.sizeBytes : growthBytes > 0 ? null : 0,
    newPackages: r.packages.filter((p) => p.change === 'added').map((p) => ({ ecosystem: p.ecosystem, name: p.name, version: p.versionB })),
    directoryGrowth,
  };
}

const depth = (path: string) => path.split('/').length;
