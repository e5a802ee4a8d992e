// The baseline rules over a real pair: the ML demo's v1 and v2 (src/testing/demo-ml.ts), each in
// its own docker save archive, read and compared by the core `npm run compare` runs. Expected
// figures follow from how the images are built:
//  - sizes (demo-ml.test.ts): v1 57,861,476 bytes, v2 44,893,703; v1 - v2 = 12,967,773;
//  - only v1 has /models: model.safetensors (11,534,336 bytes = 11 MiB) and config.json
//    (`{"hidden_size": 2048, "layers": 4}\n`, 35 bytes), so /models grew 11,534,371 from v2 to v1,
//    more than any other directory (/root's pip cache: 1,228,800 + 2,048 + 614,400 = 1,845,248);
//  - v2 adds safetensors 0.4.3 (pip) and upgrades numpy; v1 adds nothing v2 lacks;
//  - v2 against v1: /usr/local/lib/python3.12/site-packages grew most, by safetensors' 400 KiB
//    extension (409,600) plus its sources, byte-code and metadata, less numpy's shorter version
//    strings: 411,828, the figure `npm run compare` lists for that directory.
import { describe, expect, it } from 'vitest';
import { analyseImage } from '../analysis/analyse-image';
import { readArchive } from '../pipeline/read-archive';
import { compareImages, compareReport, type CompareInput } from '../compare';
import { ML_V1, ML_V2, writeDockerSave } from '../../testing';
import { baselineFigures } from './baseline';
import { createRules, type GateRule } from './rules';
import { evaluateFigures } from './evaluate';
import { loadGateConfig } from './config';
import type { GateFigures } from './figures';

async function load(name: string, spec: typeof ML_V1): Promise<CompareInput> {
  const r = await readArchive(new Blob([(await writeDockerSave([spec])) as BlobPart]), { name });
  expect(r.summary.warnings).toEqual([]);
  const image = r.images[0]!;
  return { name, image, analysis: analyseImage(image, r.results) };
}

function rule(key: string, value: string, floor?: string): GateRule {
  const r = createRules().find((x) => x.key === key)!;
  expect(r.configure(value)).toBeUndefined();
  if (floor !== undefined) expect(r.configureFloor(floor)).toBeUndefined();
  return r;
}

describe('baseline rules over the ML demo pair', async () => {
  const v1 = await load('strata-ml-v1.tar', ML_V1);
  const v2 = await load('strata-ml-v2.tar', ML_V2);
  const against = (baseline: CompareInput, image: CompareInput) => baselineFigures(compareReport(compareImages(baseline, image)), baseline.name);
  const grown = against(v2, v1);
  const shrunk = against(v1, v2);
  const figures = (baseline: GateFigures['baseline']): GateFigures => ({
    efficiency: 1, wastedBytes: 0, userSizeBytes: 1, userWastedPercent: 0, sizeBytes: 0, layerCount: 1, baseLayers: 1,
    reclaimableBytes: 0, inefficientFiles: [], findings: [], ...(baseline ? { baseline } : {}),
  });
  const judge = (key: string, value: string, baseline = grown, floor?: string) => rule(key, value, floor).evaluate(figures(baseline));

  it('v1 against v2: 12,967,773 bytes more, /models the directory that grew most, no new package', () => {
    expect(grown).toEqual({
      name: 'strata-ml-v2.tar', sizeBytes: 44_893_703, growthBytes: 12_967_773, growthPercent: 0.2888550539036622,
      newPackages: [], directoryGrowth: { path: 'models', sizeA: 0, sizeB: 11_534_371, delta: 11_534_371 },
    });
  });

  it('v2 against v1: it shrank by the same bytes, and safetensors is new', () => {
    expect(shrunk).toEqual({
      name: 'strata-ml-v1.tar', sizeBytes: 57_861_476, growthBytes: -12_967_773, growthPercent: -0.22411756312611175,
      newPackages: [{ ecosystem: 'pip', name: 'safetensors', version: '0.4.3' }],
      directoryGrowth: { path: 'usr/local/lib/python3.12/site-packages', sizeA: expect.any(Number), sizeB: expect.any(Number), delta: 411_828 },
    });
  });

  it('highestGrowthBytes: at 12,967,773 passes, one byte under fails, one over passes; both unit systems', () => {
    expect(judge('highestGrowthBytes', '12967773')).toEqual({ key: 'highestGrowthBytes', status: 'pass', value: 12_967_773, threshold: 12_967_773, message: '' });
    expect(judge('highestGrowthBytes', '12967772')).toEqual({
      key: 'highestGrowthBytes', status: 'fail', value: 12_967_773, threshold: 12_967_772,
      message: 'image grew too much against the baseline strata-ml-v2.tar (growth-bytes=12967773 > threshold=12967772)',
    });
    expect(judge('highestGrowthBytes', '12967774').status).toBe('pass');
    expect(judge('highestGrowthBytes', '13MB').status).toBe('pass'); // 13,000,000
    expect(judge('highestGrowthBytes', '12MiB').message) // 12,582,912
      .toBe('image grew too much against the baseline strata-ml-v2.tar (growth-bytes=12967773 > threshold=12582912)');
    // A smaller image passes any threshold, 0 included.
    expect(judge('highestGrowthBytes', '0', shrunk)).toMatchObject({ status: 'pass', value: -12_967_773 });
  });

  it('highestGrowthPercent: a ratio (0.2888550539036622 here); the byte floor is the growth in bytes', () => {
    expect(judge('highestGrowthPercent', '0.2888550539036622').status).toBe('pass');
    expect(judge('highestGrowthPercent', '0.2888550539036621')).toEqual({
      key: 'highestGrowthPercent', status: 'fail', value: 0.2888550539036622, threshold: 0.2888550539036621,
      message: 'image grew too much against the baseline strata-ml-v2.tar (%-growth=0.2888550539036622 > threshold=0.2888550539036621)',
    });
    expect(judge('highestGrowthPercent', '0.28885505390366223').status).toBe('pass');
    expect(judge('highestGrowthPercent', '0.1', grown, '12967773')).toMatchObject({
      status: 'pass', message: expect.stringMatching(/^within the floor: .*, but growth-bytes=12967773 <= floor=12967773$/),
    });
    expect(judge('highestGrowthPercent', '0.1', grown, '12967772').status).toBe('fail');
    expect(judge('highestGrowthPercent', '0.1', grown, '12MiB').status).toBe('fail');
    expect(judge('highestGrowthPercent', '0.1', grown, '13MB').status).toBe('pass');
    expect(judge('highestGrowthPercent', '0', shrunk).status).toBe('pass');
    // Doubling is 1; a ratio has no upper bound, but is never negative.
    expect(rule('highestGrowthPercent', '2.5').evaluate(figures(grown)).status).toBe('pass');
    expect(createRules().find((x) => x.key === 'highestGrowthPercent')!.configure('-0.1'))
      .toBe('highestGrowthPercent config value must be a ratio of 0 or more (1 = doubled), given \'-0.1\'');
  });

  it('highestNewPackages: v2 adds one (safetensors): passes at 1 and 2, fails at 0, naming it', () => {
    expect(judge('highestNewPackages', '1', shrunk)).toEqual({ key: 'highestNewPackages', status: 'pass', value: 1, threshold: 1, message: '' });
    expect(judge('highestNewPackages', '2', shrunk).status).toBe('pass');
    expect(judge('highestNewPackages', '0', shrunk).message)
      .toBe('too many packages added since the baseline strata-ml-v1.tar (new-packages=1 > threshold=0: pip:safetensors 0.4.3)');
    expect(judge('highestNewPackages', '0', grown)).toMatchObject({ status: 'pass', value: 0 });
    expect(createRules().find((x) => x.key === 'highestNewPackages')!.configure('1.5'))
      .toBe('invalid config value (\'1.5\'): expected a whole number of packages');
  });

  it('highestDirectoryGrowthBytes: /models grew 11,534,371 bytes: 11 MiB (11,534,336) is 35 bytes short', () => {
    expect(judge('highestDirectoryGrowthBytes', '11534371').status).toBe('pass');
    expect(judge('highestDirectoryGrowthBytes', '11534370')).toEqual({
      key: 'highestDirectoryGrowthBytes', status: 'fail', value: 11_534_371, threshold: 11_534_370,
      message: 'a directory grew too much against the baseline strata-ml-v2.tar (/models grew by 11534371 bytes > threshold=11534370)',
    });
    expect(judge('highestDirectoryGrowthBytes', '11534372').status).toBe('pass');
    expect(judge('highestDirectoryGrowthBytes', '11MiB').message)
      .toBe('a directory grew too much against the baseline strata-ml-v2.tar (/models grew by 11534371 bytes > threshold=11534336)');
    expect(judge('highestDirectoryGrowthBytes', '11.6MB').status).toBe('pass');
    expect(judge('highestDirectoryGrowthBytes', '411828', shrunk).status).toBe('pass');
    expect(judge('highestDirectoryGrowthBytes', '411827', shrunk).message)
      .toBe('a directory grew too much against the baseline strata-ml-v1.tar (/usr/local/lib/python3.12/site-packages grew by 411828 bytes > threshold=411827)');
  });

  it('from a .dive-ci with warn: WARN, and the gate still passes', () => {
    const c = loadGateConfig('rules:\n  highestGrowthBytes: 10MB\n  highestDirectoryGrowthBytes: 12MB\nwarn: [highestGrowthBytes]\n', '.dive-ci', { baselineImage: 'strata-ml-v2.tar' });
    if (!c.ok) throw new Error(JSON.stringify(c.problems));
    const g = evaluateFigures(figures(grown), c.config.rules);
    expect(g.rules.filter((r) => r.key.includes('Growth')).map((r) => [r.key, r.status])).toEqual([['highestDirectoryGrowthBytes', 'pass'], ['highestGrowthBytes', 'warn']]);
    expect(g.result).toBe('pass');
    expect(g.tally).toEqual({ total: 5, passed: 3, failed: 0, warned: 1, skipped: 1 });
  });
});
