// .dive-ci as dive reads it (viper over YAML: keys ignore case, numbers become text, null falls
// back to the default, flags win), plus our keys, and misconfiguration named by key and place.
import { describe, expect, it } from 'vitest';
import { loadGateConfig, type ConfigResult } from './config';

function thresholds(r: ConfigResult): Record<string, number | null> {
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const f = { efficiency: 0.5, wastedBytes: 0, userSizeBytes: 1, userWastedPercent: 0, sizeBytes: 0, layerCount: 1, baseLayers: 1, reclaimableBytes: 0, inefficientFiles: [], findings: [] };
  return Object.fromEntries(r.config.rules.filter((x) => x.dive || x.configured).map((x) => [x.key, x.evaluate(f).threshold]));
}

describe('loadGateConfig', () => {
  it('no file: dive\'s defaults', () => {
    expect(thresholds(loadGateConfig(undefined, '.dive-ci'))).toEqual({ highestUserWastedPercent: 0.1, highestWastedBytes: null, lowestEfficiency: 0.9 });
  });

  it('reads dive\'s sample file, skipping the keys it does not know', () => {
    const text = [
      '---', 'plugins:', '  - plugin1', '', 'rules:',
      '  # the three rules', '  lowestEfficiency: 0.95', '  highestWastedBytes: 20Mb', '  highestUserWastedPercent: 0.5',
      '  plugin1/rule1: error', '',
    ].join('\n');
    const r = loadGateConfig(text, '.dive-ci');
    expect(thresholds(r)).toEqual({ highestUserWastedPercent: 0.5, highestWastedBytes: 20_000_000, lowestEfficiency: 0.95 });
    expect(r.ok && r.config.unknown).toEqual(['plugin1/rule1']);
  });

  it('matches keys without case, turns numbers and booleans into text, and a null into the default', () => {
    const r = loadGateConfig('RULES:\n  LowestEfficiency: 1\n  highestwastedbytes: 1000\n  highestUserWastedPercent:\n', 'f');
    expect(thresholds(r)).toEqual({ highestUserWastedPercent: 0.1, highestWastedBytes: 1000, lowestEfficiency: 1 });
    const b = loadGateConfig('rules:\n  lowestEfficiency: true\n', 'f');
    expect(b.ok).toBe(false);
    expect(!b.ok && b.problems[0]).toEqual({
      key: 'lowestEfficiency', where: 'f:2:3',
      message: 'invalid config value (\'true\'): strconv.ParseFloat: parsing "true": invalid syntax',
    });
  });

  it('flags win over the file', () => {
    const r = loadGateConfig('rules:\n  lowestEfficiency: 0.95\n', 'f', { rules: { lowestEfficiency: '0.5', highestWastedBytes: '1MiB' } });
    expect(thresholds(r)).toEqual({ highestUserWastedPercent: 0.1, highestWastedBytes: 1_048_576, lowestEfficiency: 0.5 });
  });

  it('a misconfigured file names each bad key, its value and where it is', () => {
    const text = 'rules:\n  lowestEfficiency: 1.1\n  highestWastedBytes: 1BB\n  highestUserWastedPercent: [1]\n';
    const r = loadGateConfig(text, '/x/.dive-ci');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      { key: 'lowestEfficiency', message: 'lowestEfficiency config value is outside allowed range (0-1), given \'1.1\'', where: '/x/.dive-ci:2:3' },
      { key: 'highestWastedBytes', message: 'invalid config value (\'1BB\'): unhandled size name: bb', where: '/x/.dive-ci:3:3' },
      { key: 'highestUserWastedPercent', message: 'expected a number or a string, got a list', where: '/x/.dive-ci:4:3' },
    ]);
  });

  it('a file that is not YAML, or not a mapping, is misconfigured', () => {
    const bad = loadGateConfig('rules:\n  lowestEfficiency: [0.9\n', 'f');
    expect(!bad.ok && bad.problems[0]!.message).toMatch(/^not valid YAML: /);
    expect(!bad.ok && bad.problems[0]!.where).toMatch(/^f:\d+:\d+$/);
    const list = loadGateConfig('- 1\n', 'f');
    expect(!list.ok && list.problems[0]!.message).toBe('expected a mapping with a `rules:` key at the top');
    const dup = loadGateConfig('rules:\n  a: 1\n  a: 2\n', 'f');
    expect(!dup.ok && dup.problems[0]!.message).toMatch(/unique/);
    const rulesScalar = loadGateConfig('rules: 5\n', 'f');
    expect(!rulesScalar.ok && rulesScalar.problems[0]).toMatchObject({ key: 'rules', where: 'f:1:1' });
  });

  it('reads our keys: warn, ignore, base, floors; and refuses a warn for no rule', () => {
    const text = 'rules:\n  highestReclaimableBytes: 10MB\n  highestUserWastedPercentFloor: 1MB\nwarn: [highestReclaimableBytes]\nignore: ["/var/cache/**"]\nbase:\n  layers: 2\n';
    const r = loadGateConfig(text, 'f');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.scope).toEqual({ ignore: ['/var/cache/**'], baseLayers: 2 });
    const rec = r.config.rules.find((x) => x.key === 'highestReclaimableBytes')!;
    expect(rec.level).toBe('warn');
    expect(rec.configured).toBe(true);
    const bad = loadGateConfig('warn: [nosuchRule]\nbase:\n  layers: two\n', 'f');
    expect(!bad.ok && bad.problems.map((p) => p.key)).toEqual(['warn', 'base.layers']);
    expect(!bad.ok && bad.problems[0]!.message).toMatch(/^no rule named 'nosuchRule'/);
    const image = loadGateConfig('base:\n  image: base.tar\n', 'f');
    expect(image.ok && image.config.baseImage).toBe('base.tar');
  });
});

describe('baseline', () => {
  it('a growth rule in the file without a baseline is kept (and skipped when judged); as a flag it is a mistake', () => {
    const file = loadGateConfig('rules:\n  highestGrowthBytes: 10MB\n', 'f');
    expect(file.ok).toBe(true);
    expect(file.ok && file.config.baselineImage).toBeUndefined();
    const flag = loadGateConfig(undefined, '.dive-ci', { rules: { highestGrowthBytes: '10MB', highestNewPackages: '0', highestGrowthPercentFloor: '1MB' } });
    expect(!flag.ok && flag.problems).toEqual([
      { key: '--highestGrowthBytes', where: 'command line', message: 'compares with a baseline image: give --baseline IMAGE too (or `baseline: IMAGE` in the config file)' },
      { key: '--highestNewPackages', where: 'command line', message: 'compares with a baseline image: give --baseline IMAGE too (or `baseline: IMAGE` in the config file)' },
    ]);
    // A rule turned off on the command line needs nothing.
    expect(loadGateConfig(undefined, 'f', { rules: { highestGrowthBytes: 'disabled' } }).ok).toBe(true);
  });

  it('the baseline from the file or --baseline (the flag wins); an empty one is misconfigured', () => {
    const file = loadGateConfig('baseline: v1.tar\nrules:\n  highestGrowthBytes: 10MB\n', 'f');
    expect(file.ok && file.config.baselineImage).toBe('v1.tar');
    const flag = loadGateConfig('baseline: v1.tar\n', 'f', { baselineImage: 'v0.tar', rules: { highestNewPackages: '0' } });
    expect(flag.ok && flag.config.baselineImage).toBe('v0.tar');
    const withFlagRule = loadGateConfig('baseline: registry.example.test/app:1.0\n', 'f', { rules: { highestNewPackages: '0' } });
    expect(withFlagRule.ok && withFlagRule.config.baselineImage).toBe('registry.example.test/app:1.0');
    const empty = loadGateConfig(undefined, 'f', { baselineImage: '' });
    expect(!empty.ok && empty.problems).toEqual([{ key: '--baseline', where: 'command line', message: 'expected an image archive path or an image reference, got nothing' }]);
    const list = loadGateConfig('baseline: [a, b]\n', 'f');
    expect(!list.ok && list.problems).toEqual([{ key: 'baseline', where: 'f:1:1', message: 'expected an image archive path or an image reference, got a list' }]);
  });
});
