// JUnit and SARIF read back as a consumer would, GitHub workflow commands escaped by the Actions
// toolkit's rules, the step summary kept under 1 MiB.
import { describe, expect, it } from 'vitest';
import { evaluateFigures } from './evaluate';
import { createRules } from './rules';
import { ciReport, junitReport, sarifReport } from './outputs';
import { escapeData, escapeProperty, githubAnnotations, githubSummary, markdownCell, workflowCommand } from './github';
import type { GateFigures } from './figures';
import { parseXml } from '../../../test/xml';

const HOSTILE = '/etc/a&b <c> "d"\x1b[31m\u0007\nx';

function figures(over: Partial<GateFigures> = {}): GateFigures {
  return {
    efficiency: 0.9844212134184309, wastedBytes: 32_025, userSizeBytes: 66_237, userWastedPercent: 32_025 / 66_237,
    sizeBytes: 1_220_598, layerCount: 14, baseLayers: 1, reclaimableBytes: 32_025,
    inefficientFiles: [{ count: 2, sizeBytes: 12_810, path: '/root/saved.txt' }, { count: 2, sizeBytes: 6405, path: HOSTILE }],
    findings: [{ kind: 'apt-cache', bytes: 5000, layer: 3, files: 2, paths: ['var/lib/apt/lists/a b%', 'var/cache/apt/x#y'], fix: 'rm it', step: 'RUN apt-get update' }],
    ...over,
  };
}

/** dive's test image at the defaults, plus a warned reclaimable rule: FAIL, SKIP, PASS, WARN. */
function gate(f = figures()) {
  const rules = createRules();
  const rec = rules.find((r) => r.key === 'highestReclaimableBytes')!;
  rec.configured = true;
  rec.configure('1kB');
  rec.level = 'warn';
  return evaluateFigures(f, rules);
}

describe('junitReport', () => {
  it('parses back: one testcase per rule, failure / skipped / system-out by status', () => {
    const doc = parseXml(junitReport(gate(), 'img <1>.tar'));
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs).toMatchObject({ tests: '4', failures: '1', skipped: '1' });
    const suite = doc.children[0]!;
    expect(suite.attrs.name).toBe('strata ci: img <1>.tar');
    const cases = Object.fromEntries(suite.children.map((c) => [c.attrs.name, c]));
    expect(Object.keys(cases)).toEqual(['highestReclaimableBytes', 'highestUserWastedPercent', 'highestWastedBytes', 'lowestEfficiency']);
    expect(cases.highestUserWastedPercent!.children[0]).toMatchObject({
      name: 'failure',
      attrs: { message: 'too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.1)' },
    });
    expect(cases.highestWastedBytes!.children[0]).toMatchObject({ name: 'skipped', attrs: { message: 'rule disabled' } });
    expect(cases.lowestEfficiency!.children).toEqual([]);
    expect(cases.highestReclaimableBytes!.children[0]!.text).toBe('WARN: too many reclaimable bytes (reclaimable-bytes=32025 > threshold=1000) (value=32025 threshold=1000)');
  });

  it('stays well-formed with an escape sequence and markup in the image name', () => {
    const doc = parseXml(junitReport(gate(), HOSTILE));
    expect(doc.children[0]!.attrs.name).toBe('strata ci: /etc/a&b <c> "d"\\x1b[31m\\x07\nx');
  });
});

describe('sarifReport', () => {
  it('is SARIF 2.1.0 with the required fields, rule results and findings with image paths', () => {
    const s = JSON.parse(JSON.stringify(sarifReport(gate(), 'img.tar')));
    expect(s.version).toBe('2.1.0');
    expect(s.$schema).toMatch(/sarif-2\.1\.0/);
    expect(s.runs).toHaveLength(1);
    const run = s.runs[0];
    expect(run.tool.driver.name).toBe('strata');
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const r of run.results) {
      expect(typeof r.message.text).toBe('string');
      expect(ids).toContain(r.ruleId);
      expect(['none', 'note', 'warning', 'error']).toContain(r.level);
    }
    const byRule = Object.fromEntries(run.results.map((r: { ruleId: string }) => [r.ruleId, r]));
    expect(byRule.highestUserWastedPercent.level).toBe('error');
    expect(byRule.highestReclaimableBytes.level).toBe('warning');
    expect(byRule.highestUserWastedPercent.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'root/saved.txt', uriBaseId: 'IMAGEROOT' });
    expect(byRule.highestUserWastedPercent.locations[1].physicalLocation.artifactLocation.uri).toBe('etc/a%26b%20%3Cc%3E%20%22d%22%1B%5B31m%07%0Ax');
    const apt = byRule['finding/apt-cache'];
    expect(apt.level).toBe('note');
    expect(apt.locations.map((l: { physicalLocation: { artifactLocation: { uri: string } } }) => l.physicalLocation.artifactLocation.uri))
      .toEqual(['var/lib/apt/lists/a%20b%25', 'var/cache/apt/x%23y']);
    expect(apt.message.text).toMatch(/^5\.0 kB \(5000 bytes\) in 2 files, layer 3 \(RUN apt-get update\)\. rm it$/);
    expect(run.originalUriBaseIds.IMAGEROOT).toBeDefined();
  });
});

describe('ciReport', () => {
  it('has each rule\'s key, threshold, value, status and message', () => {
    const c = ciReport(gate());
    expect(c.result).toBe('fail');
    expect(c.tally).toEqual({ total: 4, passed: 1, failed: 1, warned: 1, skipped: 1 });
    expect(c.rules[2]).toEqual({ key: 'highestWastedBytes', threshold: null, value: 32_025, status: 'skip', message: 'rule disabled' });
  });
});

describe('GitHub output', () => {
  it('escapes data and properties as the Actions toolkit does', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(workflowCommand('error', { title: 'x: y, z' }, 'line1\nline2 %')).toBe('::error title=x%3A y%2C z::line1%0Aline2 %25');
  });

  it('annotates failures before warnings, then findings; never more than 10', () => {
    const lines = githubAnnotations(gate(), 'my:image,1.tar');
    expect(lines[0]).toBe('::error title=strata ci%3A highestUserWastedPercent (my%3Aimage%2C1.tar)::too many bytes wasted, relative to the user bytes added (%25-user-wasted-bytes=0.4834911001404049 > threshold=0.1)');
    expect(lines[1]).toMatch(/^::warning title=strata ci%3A highestReclaimableBytes/);
    expect(lines[2]).toMatch(/^::notice title=strata%3A apt's package lists/);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    const many = figures({ findings: Array.from({ length: 30 }, (_, i) => ({ kind: 'pycache' as const, bytes: 30 - i, layer: i, files: 1, paths: [], fix: '' })) });
    expect(githubAnnotations(gate(many), 'x')).toHaveLength(10);
  });

  it('writes a markdown summary with cells escaped, under 1 MiB even for 200k inefficient files', () => {
    expect(markdownCell('a|b <script> `x`\n')).toBe('a&#124;b &#60;script&#62; &#96;x&#96; ');
    const small = githubSummary(gate(), 'img.tar');
    expect(small).toContain('| highestUserWastedPercent | FAIL | 0.4834911001404049 | 0.1 |');
    expect(small).toContain('| 2 | 6.4 kB | /etc/a&#38;b &#60;c&#62; "d" &#91;31m  x |');
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ count: 2, sizeBytes: 1000 + i, path: `/very/long/path/${'x'.repeat(40)}/${i}` }));
    const big = githubSummary(gate(figures({ inefficientFiles: rows })), 'img.tar');
    const size = new TextEncoder().encode(big).length;
    expect(size).toBeLessThan(1_048_576);
    expect(size).toBeGreaterThan(900_000);
    expect(big).toMatch(/\n\d+ more rows not shown/);
  });
});

describe('baseline rules in the result files', () => {
  // A directory named with markup, a comma, a colon and an escape sequence grew past its threshold.
  const dirName = 'opt/a,b: <c>&\x1b[2J%';
  const withBaseline = () => {
    const rules = createRules();
    for (const [key, value] of [['highestGrowthBytes', '1MB'], ['highestNewPackages', '0'], ['highestDirectoryGrowthBytes', '100kB']] as const) {
      const r = rules.find((x) => x.key === key)!;
      r.configured = true;
      r.configure(value);
    }
    return evaluateFigures(figures({
      baseline: {
        name: 'app:1.0', sizeBytes: 10_000_000, growthBytes: 1_500_000, growthPercent: 0.15,
        newPackages: [{ ecosystem: 'deb', name: 'curl', version: '7.88.1-10' }],
        directoryGrowth: { path: dirName, sizeA: 0, sizeB: 1_400_000, delta: 1_400_000 },
      },
    }), rules);
  };

  it('--json ci: each baseline rule with key, threshold, value, status, message, and the figures', () => {
    const c = ciReport(withBaseline());
    expect(c.rules.find((r) => r.key === 'highestGrowthBytes')).toEqual({
      key: 'highestGrowthBytes', threshold: 1_000_000, value: 1_500_000, status: 'fail',
      message: 'image grew too much against the baseline app:1.0 (growth-bytes=1500000 > threshold=1000000)',
    });
    expect(c.rules.find((r) => r.key === 'highestNewPackages')).toEqual({
      key: 'highestNewPackages', threshold: 0, value: 1, status: 'fail',
      message: 'too many packages added since the baseline app:1.0 (new-packages=1 > threshold=0: deb:curl 7.88.1-10)',
    });
    expect(c.figures.baseline).toEqual({
      name: 'app:1.0', sizeBytes: 10_000_000, growthBytes: 1_500_000, growthPercent: 0.15,
      newPackages: [{ ecosystem: 'deb', name: 'curl', version: '7.88.1-10' }],
      directoryGrowth: { path: dirName, sizeA: 0, sizeB: 1_400_000, delta: 1_400_000 },
    });
    expect(ciReport(gate()).figures.baseline).toBeUndefined();
  });

  it('JUnit parses back with a failure per broken baseline rule, the directory name escaped', () => {
    const doc = parseXml(junitReport(withBaseline(), 'app.tar'));
    const cases = Object.fromEntries(doc.children[0]!.children.map((c) => [c.attrs.name, c]));
    expect(cases.highestDirectoryGrowthBytes!.children[0]!.attrs.message)
      .toBe('a directory grew too much against the baseline app:1.0 (/opt/a,b: <c>&\\x1b[2J% grew by 1400000 bytes > threshold=100000)');
    expect(cases.highestGrowthBytes!.children[0]!.name).toBe('failure');
    expect(cases.highestNewPackages!.children[0]!.text).toBe('value=1 threshold=0');
  });

  it('SARIF points the directory rule at the directory; GitHub annotations escape it', () => {
    const s = JSON.parse(JSON.stringify(sarifReport(withBaseline(), 'app.tar')));
    const dir = s.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'highestDirectoryGrowthBytes');
    expect(dir.level).toBe('error');
    expect(dir.locations).toEqual([{
      physicalLocation: { artifactLocation: { uri: 'opt/a%2Cb%3A%20%3Cc%3E%26%1B%5B2J%25', uriBaseId: 'IMAGEROOT' } },
      message: { text: 'grew by 1400000 bytes' },
    }]);
    const lines = githubAnnotations(withBaseline(), 'app.tar');
    expect(lines).toContain('::error title=strata ci%3A highestDirectoryGrowthBytes (app.tar)::a directory grew too much against the baseline app:1.0 (/opt/a,b: <c>&\\x1b[2J%25 grew by 1400000 bytes > threshold=100000)');
    expect(lines.some((l) => l.includes('\x1b'))).toBe(false);
    const md = githubSummary(withBaseline(), 'app.tar');
    expect(md).toContain('Against the baseline app:1.0 (10 MB): +1.5 MB (15.00 %), most in /opt/a,b: &#60;c&#62;&#38; &#91;2J% (+1.4 MB); 1 new package: deb:curl.');
    expect(md).toContain('| highestGrowthBytes | FAIL | 1500000 | 1000000 |');
  });
});
