// Go's formatting as dive prints thresholds and figures; every expectation is what Go 1.x prints
// (fmt %v / %.4f, strconv.ParseFloat), written out by hand.
import { describe, expect, it } from 'vitest';
import { goFixed, goFloat, goFloatF, goParseFloat, goQuote } from './go-format';

describe('goFloat (fmt %v of a float64)', () => {
  it.each([
    [0.9, '0.9'], [0.1, '0.1'], [1, '1'], [0, '0'], [-0.5, '-0.5'],
    [0.4834911001404049, '0.4834911001404049'], [0.9844212134184309, '0.9844212134184309'],
    [0.1 + 0.2, '0.30000000000000004'], [100, '100'], [999999, '999999'], [999999.5, '999999.5'],
    [1e6, '1e+06'], [1234567, '1.234567e+06'], [1e21, '1e+21'], [1e100, '1e+100'],
    [0.0001, '0.0001'], [0.00001, '1e-05'], [0.000012345, '1.2345e-05'], [5e-324, '5e-324'],
    [NaN, 'NaN'], [Infinity, '+Inf'], [-Infinity, '-Inf'],
  ])('%s -> %s', (x, s) => {
    expect(goFloat(x)).toBe(s);
  });

  it('FormatFloat(f, \'f\', -1) never uses an exponent (viper\'s text of a YAML number)', () => {
    expect(goFloatF(1e21)).toBe('1000000000000000000000');
    expect(goFloatF(0.00001)).toBe('0.00001');
    expect(goFloatF(20000000)).toBe('20000000');
    expect(goFloatF(0.95)).toBe('0.95');
  });
});

describe('goFixed (fmt %.Nf)', () => {
  it.each([
    [98.44212134184309, 4, '98.4421'], [48.34911001404049, 4, '48.3491'], [100, 4, '100.0000'], [0, 4, '0.0000'],
    // Exact ties go to even, where toFixed would round up.
    [1.03125, 4, '1.0312'], [1.09375, 4, '1.0938'], [0.5, 0, '0'], [1.5, 0, '2'], [2.5, 0, '2'],
    [12.8, 0, '13'], [6.4, 1, '6.4'], [0.00005, 4, '0.0001'],
  ])('%s with %i decimals -> %s', (x, d, s) => {
    expect(goFixed(x, d)).toBe(s);
  });
});

describe('goParseFloat (strconv.ParseFloat(s, 64))', () => {
  it.each([
    ['0.9', 0.9], ['.5', 0.5], ['5.', 5], ['+0.5', 0.5], ['-0.1', -0.1], ['1e-1', 0.1], ['1E2', 100],
    ['1_000', 1000], ['0x1p-2', 0.25], ['0x1.8p1', 3], ['0X_1P0', 1], ['inf', Infinity], ['-Infinity', -Infinity], ['INF', Infinity],
    ['00.90', 0.9], ['1e-400', 0],
  ])('accepts %j as %s', (s, v) => {
    expect(goParseFloat(s)).toEqual({ ok: true, value: v });
  });

  it('accepts nan, as Go does', () => {
    const r = goParseFloat('NaN');
    expect(r.ok && Number.isNaN(r.value)).toBe(true);
  });

  it.each([
    '', ' 0.5', '0.5 ', 'abc', '1,5', '0.9.1', 'e5', '.e5', '.', '1e', '1e+', '1e_5', '1__0', '_1', '1_', '1._5',
    '0x10', '0x', '+nan', 'infin', '--1', '0.9%', '½',
  ])('rejects %j with Go\'s message', (s) => {
    expect(goParseFloat(s)).toEqual({ ok: false, error: `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax` });
  });

  it('reports overflow as out of range', () => {
    expect(goParseFloat('1e400')).toEqual({ ok: false, error: 'strconv.ParseFloat: parsing "1e400": value out of range' });
  });
});

describe('goQuote (strconv.Quote)', () => {
  it('escapes quotes, backslashes and control characters and keeps printable text', () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('\x1b[31mred\n')).toBe('"\\x1b[31mred\\n"');
    expect(goQuote('é/日本')).toBe('"é/日本"');
    expect(goQuote('a\u202eb')).toBe('"a\\u202eb"');
  });
});
