// The Markdown a pull-request comment gets: within budget however large the diff, and no name from
// an image can break out of its code span or the table.
import { describe, expect, it } from 'vitest';
import { compareMarkdown, mdCode } from './markdown';
import type { CompareReport } from './types';

function report(paths: number): CompareReport {
  const ref = { configDigest: null, platform: 'linux/amd64', sizeBytes: 1e9, storedBytes: 4e8, finalBytes: 9e8, layers: 3 };
  return {
    version: 1,
    a: { name: 'app:1', ...ref },
    b: { name: 'app:2', ...ref },
    same: false,
    options: { includeMtime: false, ignore: [] },
    layers: [],
    files: {
      countA: 0, countB: paths, bytesA: 0, bytesB: 0, added: paths, removed: 0, changed: 0, metadata: 0,
      addedBytes: 0, removedBytes: 0, changedBytesA: 0, changedBytesB: 0, ignored: 0, unhashed: 0,
    },
    paths: Array.from({ length: paths }, (_, i) => ({ path: `srv/files/f${i}`, change: 'added' as const, type: '-', sizeA: null, sizeB: i })),
    directories: [{ path: 'srv/files', sizeA: 0, sizeB: 12345, delta: 12345 }],
    packages: [],
    config: [],
    history: [],
    pull: { bytesForBGivenA: 0, bytesForAGivenB: 0, layersForBGivenA: 0, layersForAGivenB: 0 },
    rebuilt: { firstChangedStep: null, layers: [], sizeBytes: 0, storedBytes: 0, unchangedLayers: 0 },
    growth: { packages: [], directories: [], layers: [] },
    limits: { pathDepth: 1024, directoryDepth: 64, pathsTooDeep: 0 },
  };
}

describe('compareMarkdown', () => {
  it('stays under 60 KB on 100k changed paths, largest first, and says how many it left out', () => {
    const md = compareMarkdown(report(100_000));
    expect(new TextEncoder().encode(md).length).toBeLessThanOrEqual(60_000);
    const rows = md.split('\n').filter((l) => l.startsWith('| added |'));
    expect(rows[0]).toBe('| added | `/srv/files/f99999` |  | 100.0 kB |');
    expect(md).toMatch(new RegExp(`… and ${100_000 - rows.length} more paths \\(see the JSON report\\)\\.`));
  });

  it('keeps backticks, pipes, newlines and terminal controls of a name inside its code span', () => {
    expect(mdCode('a`b')).toBe('`` a`b ``'); // CommonMark strips the one space each side
    expect(mdCode('x|y')).toBe('`x\\|y`');
    expect(mdCode('line\nbreak\u001b[31m')).toBe('`line\uFFFDbreak\uFFFD[31m`');
    expect(mdCode('``')).toBe('``` `` ```');
  });
});
