// Version order per ecosystem: the pairs each tool's documentation or test suite orders this way.
import { describe, expect, it } from 'vitest';
import { compareVersions } from './versions';
import type { Ecosystem } from '../packages/types';

/** Each list is ascending: every element is lower than the next. */
const ASCENDING: Record<Ecosystem, string[]> = {
  // Debian Policy 5.6.12 (each pair checked with `dpkg --compare-versions`): `~` before the end,
  // letters before other characters, the epoch over all.
  deb: ['1.0~rc1', '1.0', '1.0-1', '1.0-1+b1', '1.0-2', '1.0a', '1.0.1', '1.9', '1.10', '2.36-9+deb12u7', '2.36-9+deb12u10', '1:0.1'],
  // apk-tools: _alpha < _beta < _pre < _rc < release < _p; -r revisions; a letter after the digits.
  apk: ['1.2_alpha1', '1.2_beta', '1.2_rc2', '1.2', '1.2-r1', '1.2_p1', '1.2a', '1.2.1', '1.10', '3.0.9-r3', '3.0.10-r0'],
  // PEP 440's ordering example: dev < pre < release < post; local versions above the public one.
  pip: ['1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345', '1.0rc1', '1.0',
    '1.0+abc.5', '1.0+5', '1.0.post456.dev34', '1.0.post456', '1.1.dev1', '1.10', '1!0.5'],
  conda: ['1.1.1v', '1.1.1w', '2.0.0a1', '2.0.0', '2023.3', '2023.10'],
  // SemVer 2.0.0 section 11's example chain, then numbers past 2^53.
  npm: ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1',
    '1.0.0', '1.2.0', '1.10.0', '2.0.0', '9007199254740993.0.0', '9007199254740994.0.0'],
};

describe('compareVersions', () => {
  for (const [eco, list] of Object.entries(ASCENDING) as [Ecosystem, string[]][]) {
    it(`orders ${eco} versions as ${eco}'s tools do`, () => {
      for (let i = 0; i + 1 < list.length; i++) {
        expect(compareVersions(eco, list[i]!, list[i + 1]!), `${list[i]} < ${list[i + 1]}`).toBeLessThan(0);
        expect(compareVersions(eco, list[i + 1]!, list[i]!), `${list[i + 1]} > ${list[i]}`).toBeGreaterThan(0);
      }
    });
  }

  it('calls spellings of one version equal', () => {
    expect(compareVersions('pip', '1.0', '1.0.0')).toBe(0);
    expect(compareVersions('pip', '1.0alpha1', '1.0a1')).toBe(0);
    expect(compareVersions('pip', '1.0-1', '1.0.post1')).toBe(0);
    expect(compareVersions('npm', '1.0.0+build.1', '1.0.0+build.2')).toBe(0);
    expect(compareVersions('deb', '0:1.0-1', '1.0-1')).toBe(0);
    expect(compareVersions('deb', '1.01', '1.1')).toBe(0);
  });

  it('orders strings a scheme cannot parse by digit runs instead of throwing', () => {
    expect(compareVersions('npm', 'v2', 'v10')).toBeLessThan(0);
    expect(compareVersions('pip', '2.0-custom-build', '10.0-custom-build')).toBeLessThan(0);
    expect(compareVersions('apk', 'git-abc', 'git-abd')).toBeLessThan(0);
  });
});
