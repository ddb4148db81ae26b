import { describe, expect, it } from 'vitest';
import { parseTqdmInterval, parseTqdmRate, parseTqdmRateWithUnit, parseTqdmSize } from './parseTqdmSize.js';

describe('parseTqdmSize', () => {
  it.each([
    ['10.1M', 10_100_000],
    ['7.55M', 7_550_000],
    ['5.03M', 5_030_000],
    ['2.52M', 2_520_000],
    ['315k', 315_000],
    ['1.00G', 1_000_000_000],
    ['450M', 450_000_000],
    ['3.21T', 3_210_000_000_000],
    ['1.50P', 1_500_000_000_000_000],
    ['99.0', 99],
    ['11.0', 11],
    ['0.00', 0],
    ['5', 5],
  ])('reads %s as %d (SI, k = 1000)', (text, value) => {
    expect(parseTqdmSize(text)).toBe(value);
  });

  it.each(['', '?', 'M', '1.2.3M', '12X', '-1', 'NaN', '1e5'])('gives null for %j', (text) => {
    expect(parseTqdmSize(text)).toBeNull();
  });
});

describe('parseTqdmRate', () => {
  it.each([
    ['20.0MB/s', 20_000_000],
    ['227kB/s', 227_000],
    ['66.3kB/s', 66_300],
    ['6.24MB/s', 6_240_000],
    ['228B/s', 228],
    ['53.38it/s', 53.38],
    [' 2.39it/s', 2.39],
  ])('reads %s as %d per second', (text, value) => {
    expect(parseTqdmRate(text)).toBe(value);
  });

  it('inverts rates below one unit per second', () => {
    expect(parseTqdmRate('1.23s/B')).toBeCloseTo(1 / 1.23, 12);
    expect(parseTqdmRate('12.3ks/B')).toBeCloseTo(1 / 12_300, 12);
  });

  it('gives null while tqdm has no rate yet, and for garbage', () => {
    expect(parseTqdmRate('?B/s')).toBeNull();
    expect(parseTqdmRate('?it/s')).toBeNull();
    expect(parseTqdmRate('fast')).toBeNull();
    expect(parseTqdmRate('')).toBeNull();
  });

  it('says which unit the rate counts', () => {
    expect(parseTqdmRateWithUnit('6.24MB/s')).toEqual({ perSecond: 6_240_000, unit: 'B' });
    expect(parseTqdmRateWithUnit('?it/s')).toEqual({ perSecond: null, unit: 'it' });
  });
});

describe('parseTqdmInterval', () => {
  it('reads mm:ss and h:mm:ss', () => {
    expect(parseTqdmInterval('00:01')).toBe(1);
    expect(parseTqdmInterval('12:34')).toBe(754);
    expect(parseTqdmInterval('1:02:03')).toBe(3723);
    expect(parseTqdmInterval('?')).toBeNull();
  });
});
