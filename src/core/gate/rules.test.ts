// Each rule at, just below and just above its threshold, over figures written out in the test.
// dive compares strictly: a value exactly at the threshold passes.
import { describe, expect, it } from 'vitest';
import { createRules, type GateRule } from './rules';
import type { GateFigures } from './figures';
import type { Finding } from '../findings';

function figures(over: Partial<GateFigures> = {}): GateFigures {
  return {
    efficiency: 0.9844212134184309, wastedBytes: 32_025, userSizeBytes: 66_237, userWastedPercent: 32_025 / 66_237,
    sizeBytes: 1_220_598, layerCount: 14, baseLayers: 1, reclaimableBytes: 32_025, inefficientFiles: [], findings: [],
    ...over,
  };
}

function rule(key: string, value?: string): GateRule {
  const r = createRules().find((x) => x.key === key)!;
  if (value !== undefined) expect(r.configure(value)).toBeUndefined();
  return r;
}

const finding = (kind: Finding['kind'], bytes: number, layer = 2): Finding => ({ kind, bytes, layer, files: 1, paths: ['x'], fix: '' });

describe('dive\'s three rules', () => {
  it('have dive\'s defaults: 0.9, disabled, 0.1', () => {
    const byKey = Object.fromEntries(createRules().map((r) => [r.key, r]));
    expect(byKey.lowestEfficiency!.defaultValue).toBe('0.9');
    expect(byKey.highestWastedBytes!.defaultValue).toBe('disabled');
    expect(byKey.highestUserWastedPercent!.defaultValue).toBe('0.1');
    expect(byKey.highestWastedBytes!.evaluate(figures())).toEqual({ key: 'highestWastedBytes', status: 'skip', value: 32_025, threshold: null, message: 'rule disabled' });
  });

  it('lowestEfficiency: fails only below the threshold', () => {
    const at = rule('lowestEfficiency', '0.5').evaluate(figures({ efficiency: 0.5 }));
    expect(at).toEqual({ key: 'lowestEfficiency', status: 'pass', value: 0.5, threshold: 0.5, message: '' });
    expect(rule('lowestEfficiency', '0.5').evaluate(figures({ efficiency: 0.5000000000000001 })).status).toBe('pass');
    expect(rule('lowestEfficiency', '0.5').evaluate(figures({ efficiency: 0.49999999999999994 }))).toEqual({
      key: 'lowestEfficiency', status: 'fail', value: 0.49999999999999994, threshold: 0.5,
      message: 'image efficiency is too low (efficiency=0.49999999999999994 < threshold=0.5)',
    });
    // dive's test image against its own .dive-ci threshold of 0.95
    expect(rule('lowestEfficiency', '0.95').evaluate(figures()).status).toBe('pass');
    expect(rule('lowestEfficiency', '0.99').evaluate(figures()).message)
      .toBe('image efficiency is too low (efficiency=0.9844212134184309 < threshold=0.99)');
  });

  it('highestWastedBytes: fails only above the threshold, in either unit system', () => {
    expect(rule('highestWastedBytes', '32025').evaluate(figures()).status).toBe('pass');
    expect(rule('highestWastedBytes', '32026').evaluate(figures()).status).toBe('pass');
    expect(rule('highestWastedBytes', '32024').evaluate(figures())).toEqual({
      key: 'highestWastedBytes', status: 'fail', value: 32_025, threshold: 32_024,
      message: 'too many bytes wasted (wasted-bytes=32025 > threshold=32024)',
    });
    expect(rule('highestWastedBytes', '20MB').evaluate(figures({ wastedBytes: 20_000_000 })).status).toBe('pass');
    expect(rule('highestWastedBytes', '20MB').evaluate(figures({ wastedBytes: 20_000_001 })).message)
      .toBe('too many bytes wasted (wasted-bytes=20000001 > threshold=20000000)');
    expect(rule('highestWastedBytes', '20MiB').evaluate(figures({ wastedBytes: 20_971_520 })).status).toBe('pass');
    expect(rule('highestWastedBytes', '20MiB').evaluate(figures({ wastedBytes: 20_971_521 })).status).toBe('fail');
    expect(rule('highestWastedBytes', '12.5 EB').evaluate(figures({ wastedBytes: 2 ** 64 - 2 ** 12 })).message)
      .toBe('too many bytes wasted (wasted-bytes=18446744073709547520 > threshold=12500000000000000000)');
  });

  it('highestUserWastedPercent: fails only above the threshold, with the ratio at full precision', () => {
    expect(rule('highestUserWastedPercent', '0.25').evaluate(figures({ userWastedPercent: 0.25 })).status).toBe('pass');
    expect(rule('highestUserWastedPercent', '0.25').evaluate(figures({ userWastedPercent: 0.24999999999999997 })).status).toBe('pass');
    expect(rule('highestUserWastedPercent', '0.25').evaluate(figures({ userWastedPercent: 0.25000000000000006 })).status).toBe('fail');
    expect(rule('highestUserWastedPercent').evaluate(figures())).toEqual({
      key: 'highestUserWastedPercent', status: 'fail', value: 0.4834911001404049, threshold: 0.1,
      message: 'too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.1)',
    });
    expect(rule('highestUserWastedPercent', '0.00001').evaluate(figures({ userWastedPercent: 0.00002 })).message)
      .toBe('too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=2e-05 > threshold=1e-05)');
  });

  it('a single-layer or empty image (0 user bytes, nothing wasted) passes with 0, never NaN', () => {
    const r = rule('highestUserWastedPercent', '0').evaluate(figures({ userSizeBytes: 0, wastedBytes: 0, userWastedPercent: 0 }));
    expect(r).toEqual({ key: 'highestUserWastedPercent', status: 'pass', value: 0, threshold: 0, message: '' });
  });

  it('waste with no user bytes fails, as dive\'s +Inf does, without printing Inf', () => {
    const r = rule('highestUserWastedPercent', '1').evaluate(figures({ userSizeBytes: 0, wastedBytes: 100, userWastedPercent: null }));
    expect(r.status).toBe('fail');
    expect(r.value).toBeNull();
    expect(r.message).toBe('too many bytes wasted, relative to the user bytes added (wasted-bytes=100 with 0 user bytes > threshold=1)');
  });

  it('only `disabled` turns a rule off; dive\'s validation messages otherwise', () => {
    const r = rule('lowestEfficiency');
    expect(r.configure('Disabled')).toBe('invalid config value (\'Disabled\'): strconv.ParseFloat: parsing "Disabled": invalid syntax');
    expect(r.configure('off')).toBe('invalid config value (\'off\'): strconv.ParseFloat: parsing "off": invalid syntax');
    expect(r.configure('')).toBe('invalid config value (\'\'): strconv.ParseFloat: parsing "": invalid syntax');
    expect(r.configure('1.1')).toBe('lowestEfficiency config value is outside allowed range (0-1), given \'1.1\'');
    expect(r.configure('-0.1')).toBe('lowestEfficiency config value is outside allowed range (0-1), given \'-0.1\'');
    expect(r.configure('nan')).toBe('lowestEfficiency config value is not a number, given \'nan\'');
    expect(rule('highestUserWastedPercent').configure('10')).toBe('highestUserWastedPercent config value is outside allowed range (0-1), given \'10\'');
    expect(rule('highestWastedBytes').configure('1BB')).toBe('invalid config value (\'1BB\'): unhandled size name: bb');
    expect(rule('highestWastedBytes').configure('-1BB')).toBe('invalid config value (\'-1BB\'): strconv.ParseFloat: parsing "": invalid syntax');
    expect(r.configure('disabled')).toBeUndefined();
    expect(r.evaluate(figures({ efficiency: 0 })).status).toBe('skip');
    expect(r.configure('0')).toBeUndefined();
    expect(r.configure('1')).toBeUndefined();
  });
});

describe('our rules', () => {
  it.each([
    ['highestReclaimableBytes', { reclaimableBytes: 1000 }, 'too many reclaimable bytes (reclaimable-bytes=1001 > threshold=1000)', { reclaimableBytes: 1001 }],
    ['highestSizeBytes', { sizeBytes: 1000 }, 'image is too large (size-bytes=1001 > threshold=1000)', { sizeBytes: 1001 }],
    ['highestCacheBytes', { findings: [finding('apt-cache', 600), finding('pip-cache', 400), finding('pycache', 5000)] },
      'package manager caches left in the image (cache-bytes=1001 > threshold=1000)', { findings: [finding('apt-cache', 600), finding('npm-cache', 401)] }],
    ['highestDuplicateBytes', { findings: [finding('duplicate-content', 1000)] },
      'files shipped twice with the same content (duplicate-bytes=1001 > threshold=1000)', { findings: [finding('duplicate-content', 1001)] }],
    ['highestCudaDuplicateBytes', { findings: [finding('cuda-duplicate', 1000), finding('duplicate-content', 5000)] },
      'CUDA libraries shipped twice (cuda-duplicate-bytes=1001 > threshold=1000)', { findings: [finding('cuda-duplicate', 1001)] }],
    ['highestCudaDevelBytes', { findings: [finding('cuda-devel', 1000), finding('cuda-duplicate', 5000)] },
      'CUDA development files in the image (cuda-devel-bytes=1001 > threshold=1000)', { findings: [finding('cuda-devel', 1001)] }],
    ['highestModelWeightsBytes', { findings: [finding('model-weights', 1000)] },
      'model weights baked into the image (model-weights-bytes=1001 > threshold=1000)', { findings: [finding('model-weights', 1001)] }],
  ] as const)('%s: 1000 bytes pass at 1kB and under 1001; 1001 bytes pass at 1001, fail at 1kB', (key, at, message, above) => {
    expect(rule(key, '1kB').evaluate(figures(at as Partial<GateFigures>)).status).toBe('pass');
    expect(rule(key, '1001').evaluate(figures(at as Partial<GateFigures>)).status).toBe('pass');
    expect(rule(key, '1001').evaluate(figures(above as Partial<GateFigures>)).status).toBe('pass');
    // 1 KiB is 1,024 bytes: the same figure passes in the other unit system.
    expect(rule(key, '1KiB').evaluate(figures(above as Partial<GateFigures>)).status).toBe('pass');
    const r = rule(key, '1kB').evaluate(figures(above as Partial<GateFigures>));
    expect(r.status).toBe('fail');
    expect(r.message).toBe(message);
  });

  it('highestLayerCount: a whole number; 14 layers pass at 14, fail at 13', () => {
    expect(rule('highestLayerCount', '14').evaluate(figures()).status).toBe('pass');
    expect(rule('highestLayerCount', '15').evaluate(figures()).status).toBe('pass');
    expect(rule('highestLayerCount', '13').evaluate(figures()).message).toBe('too many layers (layers=14 > threshold=13)');
    expect(rule('highestLayerCount').configure('1.5')).toBe('invalid config value (\'1.5\'): expected a whole number of layers');
  });

  it('are off until configured', () => {
    for (const r of createRules().filter((x) => !x.dive)) expect(r.evaluate(figures()).status).toBe('skip');
  });

  it('warn level reports WARN with the same message instead of FAIL', () => {
    const r = rule('highestUserWastedPercent');
    r.level = 'warn';
    expect(r.evaluate(figures())).toMatchObject({ status: 'warn', message: expect.stringMatching(/^too many bytes wasted, relative/) });
  });

  it('a byte floor lets a percentage over its threshold pass while the waste is small', () => {
    const r = rule('highestUserWastedPercent');
    expect(r.configureFloor('32025')).toBeUndefined();
    const at = r.evaluate(figures());
    expect(at.status).toBe('pass');
    expect(at.message).toMatch(/wasted-bytes=32025 <= floor=32025$/);
    expect(r.configureFloor('32024')).toBeUndefined();
    expect(r.evaluate(figures()).status).toBe('fail');
    expect(r.configureFloor('32026')).toBeUndefined();
    expect(r.evaluate(figures()).status).toBe('pass');
    expect(r.configureFloor('32kB')).toBeUndefined(); // 32,000: under the 32,025 wasted
    expect(r.evaluate(figures()).status).toBe('fail');
    expect(r.configureFloor('32KiB')).toBeUndefined(); // 32,768
    expect(r.evaluate(figures()).status).toBe('pass');
    const e = rule('lowestEfficiency', '0.99');
    expect(e.configureFloor('1MB')).toBeUndefined();
    expect(e.evaluate(figures()).status).toBe('pass');
    for (const [floor, status] of [['32025', 'pass'], ['32024', 'fail'], ['32026', 'pass']] as const) {
      expect(e.configureFloor(floor)).toBeUndefined();
      expect(e.evaluate(figures()).status).toBe(status);
    }
    expect(e.configureFloor('1 XB')).toBe('invalid config value (\'1 XB\'): unhandled size name: xb');
  });
});

describe('baseline rules (--baseline IMAGE)', () => {
  const baseline = (over: Partial<NonNullable<GateFigures['baseline']>> = {}): GateFigures['baseline'] => ({
    name: 'v1.tar', sizeBytes: 1_000_000, growthBytes: 250_000, growthPercent: 0.25,
    newPackages: [{ ecosystem: 'deb', name: 'curl', version: '7.88.1-10' }, { ecosystem: 'pip', name: 'requests', version: null }],
    directoryGrowth: { path: 'usr/lib', sizeA: 100_000, sizeB: 300_000, delta: 200_000 }, ...over,
  });

  it('highestGrowthBytes: at passes, one byte less fails', () => {
    expect(rule('highestGrowthBytes', '250kB').evaluate(figures({ baseline: baseline() })).status).toBe('pass');
    expect(rule('highestGrowthBytes', '249999').evaluate(figures({ baseline: baseline() })).message)
      .toBe('image grew too much against the baseline v1.tar (growth-bytes=250000 > threshold=249999)');
    expect(rule('highestGrowthBytes', '0').evaluate(figures({ baseline: baseline({ growthBytes: -5 }) })).status).toBe('pass');
  });

  it('highestGrowthPercent: a ratio of 0 or more (1 = doubled), with a byte floor on the growth', () => {
    expect(rule('highestGrowthPercent', '0.25').evaluate(figures({ baseline: baseline() })).status).toBe('pass');
    expect(rule('highestGrowthPercent', '0.24999999999999997').evaluate(figures({ baseline: baseline() })).message)
      .toBe('image grew too much against the baseline v1.tar (%-growth=0.25 > threshold=0.24999999999999997)');
    expect(rule('highestGrowthPercent', '2').evaluate(figures({ baseline: baseline({ growthPercent: 2.5 }) })).status).toBe('fail');
    expect(rule('highestGrowthPercent').configure('-1')).toBe('highestGrowthPercent config value must be a ratio of 0 or more (1 = doubled), given \'-1\'');
    const floored = rule('highestGrowthPercent', '0.1');
    expect(floored.configureFloor('250kB')).toBeUndefined();
    expect(floored.evaluate(figures({ baseline: baseline() })).message).toMatch(/but growth-bytes=250000 <= floor=250000$/);
    expect(floored.configureFloor('249999')).toBeUndefined();
    expect(floored.evaluate(figures({ baseline: baseline() })).status).toBe('fail');
    const fromEmpty = rule('highestGrowthPercent', '1').evaluate(figures({ baseline: baseline({ sizeBytes: 0, growthBytes: 10, growthPercent: null }) }));
    expect(fromEmpty).toMatchObject({ status: 'fail', value: null, message: 'image grew from nothing against the baseline v1.tar (growth-bytes=10 with a baseline of 0 bytes > threshold=1)' });
  });

  it('highestNewPackages: 2 new pass at 2, fail at 1, naming them', () => {
    expect(rule('highestNewPackages', '2').evaluate(figures({ baseline: baseline() })).status).toBe('pass');
    expect(rule('highestNewPackages', '1').evaluate(figures({ baseline: baseline() })).message)
      .toBe('too many packages added since the baseline v1.tar (new-packages=2 > threshold=1: deb:curl 7.88.1-10, pip:requests)');
  });

  it('highestDirectoryGrowthBytes: names the directory that grew most', () => {
    expect(rule('highestDirectoryGrowthBytes', '200kB').evaluate(figures({ baseline: baseline() })).status).toBe('pass');
    expect(rule('highestDirectoryGrowthBytes', '199999').evaluate(figures({ baseline: baseline() })).message)
      .toBe('a directory grew too much against the baseline v1.tar (/usr/lib grew by 200000 bytes > threshold=199999)');
    expect(rule('highestDirectoryGrowthBytes', '0').evaluate(figures({ baseline: baseline({ directoryGrowth: null }) })).status).toBe('pass');
  });

  it('skip, saying why, without a baseline image', () => {
    expect(rule('highestGrowthBytes', '1').evaluate(figures())).toEqual({
      key: 'highestGrowthBytes', status: 'skip', value: null, threshold: 1, message: 'no baseline image to compare with (give --baseline IMAGE)',
    });
    // Six new packages: five named, then '...'
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ ecosystem: 'npm', name, version: '1.0.0' }));
    expect(rule('highestNewPackages', '5').evaluate(figures({ baseline: baseline({ newPackages: six }) })).message)
      .toBe('too many packages added since the baseline v1.tar (new-packages=6 > threshold=5: npm:a 1.0.0, npm:b 1.0.0, npm:c 1.0.0, npm:d 1.0.0, npm:e 1.0.0, ...)');
  });
});
