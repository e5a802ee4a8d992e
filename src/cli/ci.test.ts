// The gate as a user runs it: dive's output shape and verdicts on dive's own images, each exit
// code, the result files, hostile names kept off the terminal. Expected figures are dive's: its
// export of test-docker-image.tar (efficiency 0.9844212134184309, 32,025 inefficient bytes, layer 0
// of 1,154,361 of 1,220,598 bytes, so 66,237 user bytes) and, for the other images, worked out by
// hand from their tar listings with dive's definitions.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIVE_DIR, haveDive, SKIP_DIVE } from '../../test/shared-fixtures';
import { flipByte, writeDockerSave, truncate } from '../testing';
import { runCi } from './ci';
import { ciInProcess, runEntry } from '../../test/cli';
import { createRules, evaluateFigures, type GateFigures } from '../core/gate';

const REPO = join(import.meta.dirname, '../..');
const DOCKER = join(DIVE_DIR, 'test-docker-image.tar');
const tmp = () => mkdtemp(join(tmpdir(), 'strata-ci-'));

/** In process: stdout and stderr as text, and the exit code. */
const ci = ciInProcess;

/** In process, as if stdout were a terminal. */
async function ciOnTerminal(...args: string[]) {
  let stdout = '';
  const code = await runCi(args, { write: (s) => { stdout += s; }, isTTY: true }, { write: () => undefined });
  return { code, stdout };
}

/** As a process, from a working directory (for the default `.dive-ci`). */
const ciProcess = (cwd: string, ...args: string[]) => runEntry(join(REPO, 'src/cli/ci.ts'), args, { cwd, env: { ...process.env, NO_COLOR: '' } });

const fromResults = (stdout: string) => stdout.slice(stdout.indexOf('  efficiency:'));

describe.skipIf(!haveDive)(`dive's images${SKIP_DIVE}`, () => {
  it('test-docker-image.tar fails the default user-wasted rule, in dive\'s words and shape (exit 1)', async () => {
    const dir = await tmp();
    const r = await ciProcess(dir, DOCKER);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}Using default CI config\n/);
    expect(fromResults(r.stdout)).toBe([
      '  efficiency: 98.4421 %',
      '  wastedBytes: 32025 bytes (32 kB)',
      '  userWastedPercent: 48.3491 %',
      '  reclaimableBytes: 32025 bytes (32 kB)',
      'Inefficient Files:',
      'Count  Wasted Space  File Path',
      '    2         13 kB  /root/saved.txt',
      '    2         13 kB  /root/example/somefile1.txt',
      '    2        6.4 kB  /root/example/somefile3.txt',
      'Results:',
      '  FAIL: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.1)',
      '  SKIP: highestWastedBytes: rule disabled',
      '  PASS: lowestEfficiency',
      'Result:FAIL [Total:3] [Passed:1] [Failed:1] [Warn:0] [Skipped:1]',
      '',
    ].join('\n'));
  });

  it('dive\'s own exported figures give the same verdicts as ours, rule by rule', async () => {
    const dive = JSON.parse(await readFile(join(DIVE_DIR, 'expected/test-docker-image.export.json'), 'utf8'));
    const sizes: number[] = dive.layer.map((l: { sizeBytes: number }) => l.sizeBytes);
    const user = sizes.slice(1).reduce((a, b) => a + b, 0);
    expect(user).toBe(66_237);
    const fromDive: GateFigures = {
      efficiency: dive.image.efficiencyScore, wastedBytes: dive.image.inefficientBytes, userSizeBytes: user,
      userWastedPercent: dive.image.inefficientBytes / user, sizeBytes: dive.image.sizeBytes, layerCount: sizes.length, baseLayers: 1,
      reclaimableBytes: 0, inefficientFiles: [], findings: [],
    };
    const theirs = evaluateFigures(fromDive, createRules()).rules;
    const dir = await tmp();
    await ci(DOCKER, '--json', join(dir, 'r.json'));
    const ours = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')).ci.rules;
    expect(ours).toEqual(theirs);
    expect(theirs.map((r) => r.status)).toEqual(['fail', 'skip', 'pass']);
  });

  it('colours only on a terminal, and still never passes a name\'s escape sequence through', async () => {
    const plain = await ci(DOCKER);
    expect(plain.stdout).not.toMatch(/\x1b/);
    const tty = await ciOnTerminal(DOCKER);
    expect(tty.stdout).toContain('\x1b[1mResults:\x1b[22m');
    expect(tty.stdout).toContain('\x1b[31mResult:FAIL [Total:3] [Passed:1] [Failed:1] [Warn:0] [Skipped:1]\x1b[39m');
  });

  it('reads .dive-ci from the working directory: dive\'s sample thresholds pass it (exit 0)', async () => {
    const dir = await tmp();
    // dive's sample .dive-ci: 0.95 / 20Mb / 0.5; 0.9844 >= 0.95, 32,025 <= 20,000,000, 0.4835 <= 0.5
    await writeFile(join(dir, '.dive-ci'), 'plugins:\n  - plugin1\nrules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20Mb\n  highestUserWastedPercent: 0.5\n  plugin1/rule1: error\n');
    const r = await ciProcess(dir, DOCKER);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}Using CI config: \.dive-ci\n/);
    expect(r.stdout).toContain('Results:\n  PASS: highestUserWastedPercent\n  PASS: highestWastedBytes\n  PASS: lowestEfficiency\nResult:PASS [Total:3] [Passed:3] [Failed:0] [Warn:0] [Skipped:0]\n');
    expect(r.stderr).toContain('ignoring unknown rule \'plugin1/rule1\'');
  });

  it('test-docker-image.tar at each threshold: exactly at passes, one step past fails', async () => {
    const at = await ci(DOCKER, '--lowestEfficiency', '0.9844212134184309', '--highestWastedBytes', '32025', '--highestUserWastedPercent', '0.4834911001404049');
    expect(at.code).toBe(0);
    expect(at.stdout).toContain('Result:PASS [Total:3] [Passed:3] [Failed:0] [Warn:0] [Skipped:0]');
    const past = await ci(DOCKER, '--lowestEfficiency', '0.984421213418431', '--highestWastedBytes', '32024', '--highestUserWastedPercent', '0.48349110014040486');
    expect(past.code).toBe(1);
    expect(past.stdout).toContain([
      '  FAIL: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.48349110014040486)',
      '  FAIL: highestWastedBytes: too many bytes wasted (wasted-bytes=32025 > threshold=32024)',
      '  FAIL: lowestEfficiency: image efficiency is too low (efficiency=0.9844212134184309 < threshold=0.984421213418431)',
      'Result:FAIL [Total:3] [Passed:0] [Failed:3] [Warn:0] [Skipped:0]',
    ].join('\n'));
    const kb = await ci(DOCKER, '--highestWastedBytes', '32kB', '--highestUserWastedPercent', 'disabled');
    expect(kb.stdout).toContain('  FAIL: highestWastedBytes: too many bytes wasted (wasted-bytes=32025 > threshold=32000)');
    expect((await ci(DOCKER, '--highestWastedBytes', '31.3KiB', '--highestUserWastedPercent', 'disabled')).code).toBe(0); // 32,051 bytes
  });

  it('test-kaniko-image.tar: 46,245 wasted of 94,677 user bytes fails the default 0.1', async () => {
    // Layers of 1,231,733 + 11 x 9,249 + 2,187 bytes; saved.txt and somefile1.txt twice (2 x 9,249
    // each), somefile3.txt and its whiteout (9,249 + 0).
    const r = await ci(join(DIVE_DIR, 'test-kaniko-image.tar'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  wastedBytes: 46245 bytes (46 kB)\n  userWastedPercent: 48.8450 %\n');
    expect(r.stdout).toContain(`(%-user-wasted-bytes=${46245 / 94677} > threshold=0.1)`);
    expect(r.stdout).toContain('  PASS: lowestEfficiency\nResult:FAIL [Total:3] [Passed:1] [Failed:1] [Warn:0] [Skipped:1]');
  });

  it.each(['uncompressed', 'gzip', 'zstd', 'estargz'])('test-oci-%s-image.tar: one layer, 0 user bytes, nothing wasted: passes', async (enc) => {
    const r = await ci(join(DIVE_DIR, `test-oci-${enc}-image.tar`));
    expect(r.code).toBe(0);
    expect(fromResults(r.stdout)).toBe([
      '  efficiency: 100.0000 %', '  wastedBytes: 0 bytes (0 B)', '  userWastedPercent: 0.0000 %', '  reclaimableBytes: 0 bytes (0 B)',
      'Inefficient Files:', 'Count  Wasted Space  File Path', 'None', 'Results:',
      '  PASS: highestUserWastedPercent', '  SKIP: highestWastedBytes: rule disabled', '  PASS: lowestEfficiency',
      'Result:PASS [Total:3] [Passed:2] [Failed:0] [Warn:0] [Skipped:1]', '',
    ].join('\n'));
  });

  it.each(['uncompressed', 'gzip', 'zstd', 'estargz'])('test-%s-image.tar (a plain tar, no image): exit 3, as dive cannot fetch it', async (enc) => {
    const r = await ci(join(DIVE_DIR, `test-${enc}-image.tar`));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot read image .*: a plain tar archive with no image manifest/);
  });

  it('--json, --junit, --sarif and --github in the same run as the gate', async () => {
    const dir = await tmp();
    const summary = join(dir, 'summary.md');
    await writeFile(summary, '# earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = summary;
    const r = await ci(DOCKER, '--json', join(dir, 'r.json'), '--junit', join(dir, 'j.xml'), '--sarif', join(dir, 's.sarif'), '--github').finally(() => {
      delete process.env.GITHUB_STEP_SUMMARY;
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    expect(report.image.inefficientBytes).toBe(32_025);
    expect(report.ci.rules).toEqual([
      { key: 'highestUserWastedPercent', threshold: 0.1, value: 0.4834911001404049, status: 'fail', message: 'too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.1)' },
      { key: 'highestWastedBytes', threshold: null, value: 32_025, status: 'skip', message: 'rule disabled' },
      { key: 'lowestEfficiency', threshold: 0.9, value: 0.9844212134184309, status: 'pass', message: '' },
    ]);
    expect(await readFile(join(dir, 'j.xml'), 'utf8')).toContain('<testcase classname="strata.ci" name="highestUserWastedPercent">\n      <failure message="too many bytes wasted');
    const sarif = JSON.parse(await readFile(join(dir, 's.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('root/saved.txt');
    expect(r.stdout).toContain('\n::error title=strata ci%3A highestUserWastedPercent (');
    const md = await readFile(summary, 'utf8');
    expect(md.startsWith('# earlier step\n### strata ci: ')).toBe(true);
    expect(md).toContain('| highestUserWastedPercent | FAIL | 0.4834911001404049 | 0.1 |');
  });

  it('--base with the image itself leaves every layer out: no user bytes, nothing wasted', async () => {
    const r = await ci(DOCKER, '--base', DOCKER, '--json', join(await tmp(), 'r.json'));
    expect(r.stdout).toContain('(14 layers shared, left out)');
    expect(r.stdout).toContain('  wastedBytes: 0 bytes (0 B)\n  userWastedPercent: 0.0000 %\n');
    expect(r.code).toBe(0);
  });
});

describe('exit codes and bad input', () => {
  it('2 for a misconfigured file, naming the key, the value and the line', async () => {
    const dir = await tmp();
    const cfg = join(dir, 'gate.yaml');
    await writeFile(cfg, 'rules:\n  lowestEfficiency: 0.9\n  highestWastedBytes: 20 XB\n');
    const r = await ci('/nonexistent.tar', '--ci-config', cfg);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`Results:\n  MISCONFIGURED: highestWastedBytes: invalid config value ('20 XB'): unhandled size name: xb (${cfg}:3:3)\nCI Misconfigured\n`);
    // A value with an escape sequence (YAML's \e) is shown escaped.
    await writeFile(cfg, 'rules:\n  lowestEfficiency: "\\e[2J"\n');
    const esc = await ci('/nonexistent.tar', '--ci-config', cfg);
    expect(esc.stdout).toContain(`MISCONFIGURED: lowestEfficiency: invalid config value ('\\x1b[2J'): strconv.ParseFloat: parsing "\\x1b[2J": invalid syntax`);
    expect(esc.stdout).not.toMatch(/\x1b/);
  });

  it('2 for a config file named but missing, a bad flag value, an unknown flag', async () => {
    expect((await ci('x.tar', '--ci-config', '/nonexistent/.dive-ci')).stdout).toMatch(/MISCONFIGURED: --ci-config: cannot read the config file: no such file/);
    const flag = await ci('x.tar', '--lowestEfficiency', '2');
    expect(flag.code).toBe(2);
    expect(flag.stdout).toContain('MISCONFIGURED: --lowestEfficiency: lowestEfficiency config value is outside allowed range (0-1), given \'2\' (command line)');
    const unknown = await ci('x.tar', '--lowestEfficency', '0.5');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--lowestEfficency'/);
  });

  it('3 for a missing file, a file that is not an image, and a truncated archive; never a crash', async () => {
    const dir = await tmp();
    expect((await ci('/nonexistent.tar')).code).toBe(3);
    await writeFile(join(dir, 'noise.bin'), new Uint8Array(4096).map((_, i) => (i * 7919) & 255));
    const noise = await ci(join(dir, 'noise.bin'));
    expect(noise.code).toBe(3);
    expect(noise.stderr).toMatch(/^strata ci: cannot read image .*noise\.bin: /m);
    const archive = await writeDockerSave([{ layers: [{ createdBy: 'x', files: [{ path: 'a', content: 'a'.repeat(5000) }] }] }]);
    await writeFile(join(dir, 'cut.tar'), truncate(archive, 700));
    const cut = await ci(join(dir, 'cut.tar'));
    expect(cut.code).toBe(3);
    expect(cut.stderr).toMatch(/cannot read image/);
  });

  it('3 for a damaged image (a layer that does not match its digest), after the figures of what was read', async () => {
    const dir = await tmp();
    const archive = await writeDockerSave([{ layers: [{ createdBy: 'x', files: [{ path: 'a', content: 'q'.repeat(5000) }] }] }]);
    const at = Buffer.from(archive).indexOf('qqqqqqqq');
    await writeFile(join(dir, 'flipped.tar'), flipByte(archive, at + 100));
    const r = await ci(join(dir, 'flipped.tar'));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Result:PASS [Total:3]');
    expect(r.stderr).toMatch(/strata ci: damaged \[[a-z-]*mismatch\]/);
    expect(r.stderr).toMatch(/the image is damaged \(1 problem above\): the results judge only what could be read/);
  });

  it('0 for a passing image; names with escape sequences are quoted, never sent to the terminal', async () => {
    const dir = await tmp();
    const evil = 'etc/\x1b]0;owned\x07\x1b[2J.conf';
    const archive = await writeDockerSave([{ layers: [
      { createdBy: 'ADD base', files: [{ path: 'base', content: 'b'.repeat(10_000) }] },
      { createdBy: 'RUN a', files: [{ path: evil, content: 'x'.repeat(100) }] },
      { createdBy: 'RUN b', files: [{ path: evil, content: 'y'.repeat(100) }] },
    ] }]);
    await writeFile(join(dir, 'evil.tar'), archive);
    const r = await ci(join(dir, 'evil.tar'), '--highestUserWastedPercent', '1', '--github');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('    2         200 B  "/etc/\\x1b]0;owned\\a\\x1b[2J.conf"\n');
    expect(r.stdout + r.stderr).not.toMatch(/\x1b/);
    const tty = await ciOnTerminal(join(dir, 'evil.tar'), '--highestUserWastedPercent', '1');
    expect(tty.stdout).toContain('\x1b[');
    expect(tty.stdout).not.toMatch(/\x1b\]|\x1b\[2J|\x07/);
  });

  it('2 when a result file cannot be written, after the verdict; --github without a step summary file only says so', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'ok.tar'), await writeDockerSave([{ layers: [{ createdBy: 'ADD x', files: [{ path: 'x', content: 'x'.repeat(100) }] }] }]));
    const r = await ci(join(dir, 'ok.tar'), '--json', join(dir, 'no-such-dir', 'r.json'));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Result:PASS [Total:3] [Passed:2] [Failed:0] [Warn:0] [Skipped:1]');
    expect(r.stderr).toMatch(new RegExp(`^strata ci: cannot write ${join(dir, 'no-such-dir', 'r.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ENOENT`, 'm'));
    delete process.env.GITHUB_STEP_SUMMARY;
    const gh = await ci(join(dir, 'ok.tar'), '--github');
    expect(gh.code).toBe(0);
    expect(gh.stderr).toBe('strata ci: --github: GITHUB_STEP_SUMMARY is not set; no step summary written\n');
  });

  it('--warn turns a failure into a warning: Result:PASS with [Warn:1] and exit 0 unless another rule fails', async () => {
    const dir = await tmp();
    const archive = await writeDockerSave([{ layers: [
      { createdBy: 'ADD base', files: [{ path: 'base', content: 'b'.repeat(100) }] },
      { createdBy: 'RUN a', files: [{ path: 'f', content: 'x'.repeat(100) }] },
      { createdBy: 'RUN b', files: [{ path: 'f', content: 'y'.repeat(100) }] },
    ] }]);
    await writeFile(join(dir, 'w.tar'), archive);
    const r = await ci(join(dir, 'w.tar'), '--warn', 'highestUserWastedPercent', '--highestLayerCount', '2', '--lowestEfficiency', '0.5');
    expect(r.stdout).toContain('  WARN: highestUserWastedPercent: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=1 > threshold=0.1)');
    expect(r.stdout).toContain('  FAIL: highestLayerCount: too many layers (layers=3 > threshold=2)');
    expect(r.stdout).toContain('Result:FAIL [Total:4] [Passed:1] [Failed:1] [Warn:1] [Skipped:1]');
    expect(r.code).toBe(1);
    const warnOnly = await ci(join(dir, 'w.tar'), '--warn', 'highestUserWastedPercent', '--lowestEfficiency', '0.5');
    expect(warnOnly.code).toBe(0);
    expect(warnOnly.stdout).toContain('Result:PASS [Total:3] [Passed:1] [Failed:0] [Warn:1] [Skipped:1]');
    // --ignore leaves /f out of the waste; dive's efficiency stays image-wide (200 of 300 bytes)
    const ignored = await ci(join(dir, 'w.tar'), '--ignore', '/f', '--lowestEfficiency', '0.5');
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toContain('  efficiency: 66.6667 %\n  wastedBytes: 0 bytes (0 B)\n  userWastedPercent: 0.0000 %\n');
    // --base-layers 3: every layer is base, no user bytes, and /f was last touched inside it
    const based = await ci(join(dir, 'w.tar'), '--base-layers', '3', '--lowestEfficiency', '0.5');
    expect(based.stdout).toContain('  wastedBytes: 0 bytes (0 B)\n  userWastedPercent: 0.0000 %\n');
  });
});
