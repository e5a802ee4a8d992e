// go-humanize v1.0.1's ParseBytes and Bytes, as dive reads highestWastedBytes and prints sizes.
// Expectations are go-humanize's documented results, written out.
import { describe, expect, it } from 'vitest';
import { humanizeBytes, parseBytes } from './humanize';

describe('parseBytes', () => {
  it.each([
    // SI: powers of 1000
    ['20MB', 20_000_000], ['20Mb', 20_000_000], ['20mb', 20_000_000], ['20 MB', 20_000_000], ['20M', 20_000_000], ['20m', 20_000_000],
    ['50kB', 50_000], ['1K', 1_000], ['1 GB', 1_000_000_000], ['1TB', 1e12], ['2PB', 2e15], ['12.5 EB', 12_500_000_000_000_000_000],
    ['42.5MB', 42_500_000], ['1,005.03 MB', 1_005_030_000],
    // IEC: powers of 1024
    ['20MiB', 20_971_520], ['20mib', 20_971_520], ['20 MIB', 20_971_520], ['20Mi', 20_971_520], ['20 mi', 20_971_520],
    ['1KiB', 1024], ['1ki', 1024], ['1GiB', 1_073_741_824], ['1TiB', 1_099_511_627_776], ['1PiB', 1_125_899_906_842_624],
    ['42.5MiB', 44_564_480], ['42mib', 44_040_192],
    // Bytes
    ['42', 42], ['42B', 42], ['42 b', 42], ['0', 0], ['1.5', 1], ['1B', 1], ['.5k', 500], ['7.', 7],
  ])('%j is %i bytes', (s, n) => {
    expect(parseBytes(s)).toEqual({ ok: true, bytes: n });
  });

  it.each([
    ['1BB', 'unhandled size name: bb'],
    ['84 JB', 'unhandled size name: jb'],
    ['1e3', 'unhandled size name: e3'],
    ['5 MB/s', 'unhandled size name: mb/s'],
    ['-1BB', 'strconv.ParseFloat: parsing "": invalid syntax'],
    ['', 'strconv.ParseFloat: parsing "": invalid syntax'],
    [' 5MB', 'strconv.ParseFloat: parsing "": invalid syntax'],
    ['disabled', 'strconv.ParseFloat: parsing "": invalid syntax'],
    ['1.2.3MB', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
    ['16 EiB', 'too large: 16 EiB'],
  ])('%j is an error: %s', (s, error) => {
    expect(parseBytes(s)).toEqual({ ok: false, error });
  });
});

describe('humanizeBytes', () => {
  it.each([
    [0, '0 B'], [9, '9 B'], [10, '10 B'], [999, '999 B'], [1000, '1.0 kB'], [1024, '1.0 kB'], [9999, '10 kB'],
    [999_999, '1000 kB'], [1_000_000, '1.0 MB'], [1_048_576, '1.0 MB'], [999_999_000, '1000 MB'], [1e9, '1.0 GB'],
    [82_854_982, '83 MB'], [5.5e9, '5.5 GB'], [1e15, '1.0 PB'], [1e18, '1.0 EB'],
    // dive's test image: the three inefficient paths and the total
    [12_810, '13 kB'], [6_405, '6.4 kB'], [32_025, '32 kB'],
  ])('%i -> %s', (n, s) => {
    expect(humanizeBytes(n)).toBe(s);
  });
});
