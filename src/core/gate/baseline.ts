// The figures the baseline rules judge (`--baseline IMAGE`): this image against an earlier one,
// read from the compare report (core/compare: `a` is the baseline, `b` this image). Growth is in
// dive's size (the sum of the layers' file sizes), as `npm run analyze` and compare report it.

/** The parts of compare's report the rules read. */
export interface BaselineReportView {
  a: { name: string; sizeBytes: number };
  b: { sizeBytes: number };
  packages: readonly { ecosystem: string; name: string; change: string }[];
  /** Directories whose bytes differ (paths without a leading '/'). */
  directories: readonly { path: string; delta: number }[];
}

export interface BaselineFigures {
  name: string;
  sizeBytes: number;
  growthBytes: number;
  /** growth / the baseline's size; 0 when neither has bytes, null when only the baseline is empty. */
  growthPercent: number | null;
  newPackages: { ecosystem: string; name: string }[];
  /** The directory that grew most (the deeper one on a tie), if any grew. */
  directoryGrowth: { path: string; delta: number } | null;
}

export function baselineFigures(r: BaselineReportView): BaselineFigures {
  const growthBytes = r.b.sizeBytes - r.a.sizeBytes;
  let directoryGrowth: BaselineFigures['directoryGrowth'] = null;
  for (const d of r.directories) {
    if (d.delta <= 0) continue;
    if (!directoryGrowth || d.delta > directoryGrowth.delta || (d.delta === directoryGrowth.delta && d.path.length > directoryGrowth.path.length)) {
      directoryGrowth = { path: d.path, delta: d.delta };
    }
  }
  return {
    name: r.a.name,
    sizeBytes: r.a.sizeBytes,
    growthBytes,
    growthPercent: r.a.sizeBytes > 0 ? growthBytes / r.a.sizeBytes : growthBytes > 0 ? null : 0,
    newPackages: r.packages.filter((p) => p.change === 'added').map((p) => ({ ecosystem: p.ecosystem, name: p.name })),
    directoryGrowth,
  };
}
