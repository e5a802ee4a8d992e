// `strata ci REFERENCE`: the image pulled from a real registry (Debian's docker-registry, pushed
// with skopeo) gets the verdict and figures of the archive it was pushed from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIVE_DIR, haveDive, SKIP_DIVE } from '../../test/shared-fixtures';
import { skipReason, startRegistry, type RegistryServer } from '../../test/registry/harness';
import { runCi } from './ci';

const SKIP = `${skipReason('none')}${SKIP_DIVE}`;

describe.skipIf(SKIP !== '' || !haveDive)(`ci REFERENCE against docker-registry${SKIP}`, () => {
  let registry: RegistryServer;
  let home: string;
  const saved = process.env.HOME;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    await registry.push(join(DIVE_DIR, 'test-docker-image.tar'), 'dive/test:latest');
    // No credentials of the user's own are read for a registry on 127.0.0.1.
    home = await mkdtemp(join(tmpdir(), 'strata-ci-home-'));
    process.env.HOME = home;
  }, 180_000);

  afterAll(async () => {
    process.env.HOME = saved;
    await registry?.stop();
  });

  it('dive\'s test image, pushed and pulled, fails the default user-wasted rule as the archive does', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runCi([`${registry.host}/dive/test:latest`], { write: (s) => { stdout += s; } }, { write: (s) => { stderr += s; } });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout.slice(stdout.indexOf('  efficiency:'))).toBe([
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
  }, 60_000);

  it('a reference the registry does not have: exit 3 naming it', async () => {
    let stderr = '';
    const code = await runCi([`${registry.host}/dive/absent:1`], { write: () => undefined }, { write: (s) => { stderr += s; } });
    expect(code).toBe(3);
    expect(stderr).toMatch(/^strata ci: cannot read image 127\.0\.0\.1:\d+\/dive\/absent:1: /);
  }, 60_000);

  it('--baseline REFERENCE: the pushed image against its own archive grew by nothing; an absent one exits 3 naming it', async () => {
    let stdout = '';
    let stderr = '';
    const args = [join(DIVE_DIR, 'test-docker-image.tar'), '--baseline', `${registry.host}/dive/test:latest`, '--highestGrowthBytes', '0', '--highestNewPackages', '0', '--highestDirectoryGrowthBytes', '0'];
    const code = await runCi(args, { write: (s) => { stdout += s; } }, { write: (s) => { stderr += s; } });
    expect(stderr).toBe('');
    expect(code).toBe(1); // dive's default user-wasted rule, as above
    expect(stdout).toContain(`  baseline: ${registry.host}/dive/test:latest (1220598 bytes, 1.2 MB)\n  growthBytes: 0 bytes (+0 B)\n  growthPercent: 0.0000 %\n  newPackages: 0\n  directoryGrowth: none (no directory grew)\n`);
    expect(stdout).toContain('  PASS: highestDirectoryGrowthBytes\n  PASS: highestGrowthBytes\n  PASS: highestNewPackages\n');
    let err = '';
    const absent = await runCi([join(DIVE_DIR, 'test-docker-image.tar'), '--baseline', `${registry.host}/dive/absent:0.9`], { write: () => undefined }, { write: (s) => { err += s; } });
    expect(absent).toBe(3);
    expect(err).toMatch(/^strata ci: baseline image: cannot read image 127\.0\.0\.1:\d+\/dive\/absent:0\.9: /);
  }, 60_000);
});
