// `strata ci IMAGE --baseline IMAGE` as a user runs it, on the ML demo pair written to disk by the
// fixture writer (src/testing/demo-ml.ts): v1 judged against v2 grows by 12,967,773 bytes
// (57,861,476 - 44,893,703, demo-ml.test.ts), a ratio of 0.2888550539036622 of v2; /models
// (11 MiB of weights + a 35-byte config.json = 11,534,371) grew most; v1 has no package v2 lacks.
// v2 against v1 has one new package, safetensors 0.4.3. The figures are the very ones
// `npm run compare -- v2.tar v1.tar --json` writes, checked in the last test.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipByte, ML_V1, ML_V2, writeDockerSave } from '../testing';
import { parseXml } from '../../test/xml';
import { ciInProcess, runEntry } from '../../test/cli';

const REPO = join(import.meta.dirname, '../..');

const ci = ciInProcess;

let dir: string;
let v1: string;
let v2: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-ci-baseline-'));
  v1 = join(dir, 'v1.tar');
  v2 = join(dir, 'v2.tar');
  await writeFile(v1, await writeDockerSave([ML_V1]));
  await writeFile(v2, await writeDockerSave([ML_V2]));
}, 120_000);

const AT = ['--highestGrowthBytes', '12967773', '--highestGrowthPercent', '0.2888550539036622', '--highestDirectoryGrowthBytes', '11534371', '--highestNewPackages', '0'];
const BELOW = ['--highestGrowthBytes', '12967772', '--highestGrowthPercent', '0.2888550539036621', '--highestDirectoryGrowthBytes', '11MiB', '--highestNewPackages', '0'];
// The ML demo's own findings would fail dive's defaults' neighbours; keep dive's three out of the way.
const QUIET = ['--lowestEfficiency', '0', '--highestUserWastedPercent', '1'];

describe('strata ci --baseline', () => {
  it('at each threshold: every baseline rule passes (exit 0), the figures printed before the results', async () => {
    const r = await ci(v1, '--baseline', v2, ...QUIET, ...AT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain([
      `  baseline: ${v2} (44893703 bytes, 45 MB)`,
      '  growthBytes: 12967773 bytes (+13 MB)',
      '  growthPercent: 28.8855 %',
      '  newPackages: 0',
      '  directoryGrowth: /models 11534371 bytes (+12 MB)',
      'Inefficient Files:',
    ].join('\n'));
    expect(r.stdout).toContain([
      'Results:',
      '  PASS: highestDirectoryGrowthBytes',
      '  PASS: highestGrowthBytes',
      '  PASS: highestGrowthPercent',
      '  PASS: highestNewPackages',
      '  PASS: highestUserWastedPercent',
      '  SKIP: highestWastedBytes: rule disabled',
      '  PASS: lowestEfficiency',
      'Result:PASS [Total:7] [Passed:6] [Failed:0] [Warn:0] [Skipped:1]',
    ].join('\n'));
  }, 120_000);

  it('just below: each fails in the text, --json ci, JUnit, SARIF and --github (exit 1); just above passes again', async () => {
    const summary = join(dir, 'summary.md');
    process.env.GITHUB_STEP_SUMMARY = summary;
    const out = (f: string) => join(dir, f);
    const r = await ci(v1, '--baseline', v2, ...QUIET, ...BELOW, '--json', out('r.json'), '--junit', out('j.xml'), '--sarif', out('s.sarif'), '--github')
      .finally(() => { delete process.env.GITHUB_STEP_SUMMARY; });
    expect(r.code).toBe(1);
    const messages = {
      highestDirectoryGrowthBytes: `a directory grew too much against the baseline ${v2} (/models grew by 11534371 bytes > threshold=11534336)`,
      highestGrowthBytes: `image grew too much against the baseline ${v2} (growth-bytes=12967773 > threshold=12967772)`,
      highestGrowthPercent: `image grew too much against the baseline ${v2} (%-growth=0.2888550539036622 > threshold=0.2888550539036621)`,
    };
    expect(r.stdout).toContain([
      `  FAIL: highestDirectoryGrowthBytes: ${messages.highestDirectoryGrowthBytes}`,
      `  FAIL: highestGrowthBytes: ${messages.highestGrowthBytes}`,
      `  FAIL: highestGrowthPercent: ${messages.highestGrowthPercent}`,
      '  PASS: highestNewPackages',
    ].join('\n'));
    expect(r.stdout).toContain('Result:FAIL [Total:7] [Passed:3] [Failed:3] [Warn:0] [Skipped:1]');

    const report = JSON.parse(await readFile(out('r.json'), 'utf8'));
    expect(report.ci.rules.slice(0, 4)).toEqual([
      { key: 'highestDirectoryGrowthBytes', threshold: 11_534_336, value: 11_534_371, status: 'fail', message: messages.highestDirectoryGrowthBytes },
      { key: 'highestGrowthBytes', threshold: 12_967_772, value: 12_967_773, status: 'fail', message: messages.highestGrowthBytes },
      { key: 'highestGrowthPercent', threshold: 0.2888550539036621, value: 0.2888550539036622, status: 'fail', message: messages.highestGrowthPercent },
      { key: 'highestNewPackages', threshold: 0, value: 0, status: 'pass', message: '' },
    ]);
    expect(report.ci.figures.baseline).toEqual({
      name: v2, sizeBytes: 44_893_703, growthBytes: 12_967_773, growthPercent: 0.2888550539036622, newPackages: [],
      directoryGrowth: { path: 'models', sizeA: 0, sizeB: 11_534_371, delta: 11_534_371 },
    });

    const junit = parseXml(await readFile(out('j.xml'), 'utf8'));
    const cases = Object.fromEntries(junit.children[0]!.children.map((c) => [c.attrs.name, c]));
    for (const [key, message] of Object.entries(messages)) {
      expect(cases[key]!.children[0]).toMatchObject({ name: 'failure', attrs: { message, type: key } });
    }
    expect(cases.highestNewPackages!.children).toEqual([]);

    const sarif = JSON.parse(await readFile(out('s.sarif'), 'utf8'));
    const results = sarif.runs[0].results.filter((x: { ruleId: string }) => !x.ruleId.startsWith('finding/'));
    expect(results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level])).toEqual([
      ['highestDirectoryGrowthBytes', 'error'], ['highestGrowthBytes', 'error'], ['highestGrowthPercent', 'error'],
    ]);
    expect(results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'models', uriBaseId: 'IMAGEROOT' });

    expect(r.stdout).toContain(`::error title=strata ci%3A highestGrowthPercent (${v1})::image grew too much against the baseline ${v2} (%25-growth=0.2888550539036622 > threshold=0.2888550539036621)\n`);
    const md = await readFile(summary, 'utf8');
    expect(md).toContain(`Against the baseline ${v2} (45 MB): +13 MB (28.89 %), most in /models (+12 MB); 0 new packages.`);
    expect(md).toContain('| highestGrowthBytes | FAIL | 12967773 | 12967772 |');

    const above = await ci(v1, '--baseline', v2, ...QUIET, '--highestGrowthBytes', '12967774', '--highestGrowthPercent', '0.28885505390366223', '--highestDirectoryGrowthBytes', '11534372');
    expect(above.code).toBe(0);
    expect(above.stdout).toContain('Result:PASS [Total:6] [Passed:5] [Failed:0] [Warn:0] [Skipped:1]');
  }, 240_000);

  it('v2 against v1: one new package, named, fails a threshold of 0; a smaller image passes growth 0', async () => {
    const r = await ci(v2, '--baseline', v1, ...QUIET, '--highestNewPackages', '0', '--highestGrowthBytes', '0');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  growthBytes: -12967773 bytes (-13 MB)\n  growthPercent: -22.4118 %\n  newPackages: 1 (pip:safetensors 0.4.3)\n');
    expect(r.stdout).toContain(`  PASS: highestGrowthBytes\n  FAIL: highestNewPackages: too many packages added since the baseline ${v1} (new-packages=1 > threshold=0: pip:safetensors 0.4.3)\n`);
  }, 120_000);

  it('a baseline rule in .dive-ci without --baseline is skipped, saying why; as a flag it is misconfigured (exit 2)', async () => {
    const cfg = join(dir, 'gate.yaml');
    await writeFile(cfg, 'rules:\n  highestGrowthBytes: 10MB\n  lowestEfficiency: 0\n  highestUserWastedPercent: 1\n');
    const file = await ci(v2, '--ci-config', cfg);
    expect(file.code).toBe(0);
    expect(file.stdout).toContain('  SKIP: highestGrowthBytes: no baseline image to compare with (give --baseline IMAGE)\n');
    expect(file.stdout).toContain('Result:PASS [Total:4] [Passed:2] [Failed:0] [Warn:0] [Skipped:2]');
    expect(file.stdout).not.toContain('growthBytes:');
    const flag = await ci(v2, '--highestGrowthPercent', '0.1');
    expect(flag.code).toBe(2);
    expect(flag.stdout).toContain('  MISCONFIGURED: --highestGrowthPercent: compares with a baseline image: give --baseline IMAGE too (or `baseline: IMAGE` in the config file) (command line)\nCI Misconfigured\n');
    const bad = await ci(v2, '--baseline', v1, '--highestGrowthPercent=-1');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('MISCONFIGURED: --highestGrowthPercent: highestGrowthPercent config value must be a ratio of 0 or more (1 = doubled), given \'-1\' (command line)');
  }, 120_000);

  it('a baseline that cannot be read: exit 3, naming it', async () => {
    const missing = await ci(v2, '--baseline', join(dir, 'v0.tar'), '--highestGrowthBytes', '1MB');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(`strata ci: baseline image: cannot read image ${join(dir, 'v0.tar')}: no such file\n`);
    await writeFile(join(dir, 'noise.tar'), new Uint8Array(4096).map((_, i) => (i * 7919) & 255));
    const noise = await ci(v2, '--baseline', join(dir, 'noise.tar'));
    expect(noise.code).toBe(3);
    expect(noise.stderr).toMatch(new RegExp(`^strata ci: baseline image: cannot read image ${join(dir, 'noise.tar').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
  }, 120_000);

  it('a damaged baseline (a layer that does not match its digest): the figures, then exit 3 naming the baseline', async () => {
    const archive = await writeDockerSave([{ layers: [{ createdBy: 'x', files: [{ path: 'a', content: 'q'.repeat(5000) }] }] }]);
    await writeFile(join(dir, 'flipped.tar'), flipByte(archive, Buffer.from(archive).indexOf('qqqqqqqq') + 100));
    const r = await ci(v2, '--baseline', join(dir, 'flipped.tar'), ...QUIET);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Result:PASS [Total:3]');
    expect(r.stderr).toMatch(/^strata ci: baseline image: damaged \[[a-z-]*mismatch\]/m);
    expect(r.stderr).toContain('strata ci: the baseline image is damaged (1 problem above): the results judge only what could be read\n');
    expect(r.stderr).not.toContain('strata ci: the image is damaged');
  }, 120_000);

  it('the figures are the ones `npm run compare -- v2.tar v1.tar --json` writes', async () => {
    const { code, stdout } = await runEntry(join(REPO, 'src/cli/compare.ts'), [v2, v1, '--json', join(dir, 'c.json')], { cwd: REPO });
    expect(code).toBe(0); // without --exit-code, a difference is no failure
    expect(stdout).toContain('B is +13.0 MB against A\n');
    expect(stdout).toMatch(/^ +\+11\.5 MB +0 B -> 11\.5 MB +\/models$/m);
    const c = JSON.parse(await readFile(join(dir, 'c.json'), 'utf8'));
    expect([c.a.sizeBytes, c.b.sizeBytes]).toEqual([44_893_703, 57_861_476]);
    expect(c.directories[0]).toEqual({ path: 'models', sizeA: 0, sizeB: 11_534_371, delta: 11_534_371 });
    expect(c.packages.filter((p: { change: string }) => p.change === 'added')).toEqual([]);
    const back = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')).ci.figures.baseline;
    expect([back.sizeBytes, back.sizeBytes + back.growthBytes, back.directoryGrowth]).toEqual([c.a.sizeBytes, c.b.sizeBytes, c.directories[0]]);
  }, 120_000);
});
