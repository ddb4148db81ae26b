import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesRange, formatSpeed } from './formatBytes.js';
import { formatDuration } from './formatDuration.js';
import { formatNumber, formatPercent } from './formatNumber.js';

describe('formatBytes', () => {
  it('writes Persian digits and unit words', () => {
    expect(formatBytes(450_000_000, 'fa')).toBe('۴۵۰ مگابایت');
    expect(formatBytes(0, 'fa')).toBe('۰ بایت');
    expect(formatBytes(999, 'fa')).toBe('۹۹۹ بایت');
    expect(formatBytes(1_500, 'fa')).toBe('۱٫۵ کیلوبایت');
    expect(formatBytes(2_340_000_000, 'fa')).toBe('۲٫۳ گیگابایت');
    expect(formatBytes(3e12, 'fa')).toBe('۳ ترابایت');
  });

  it('uses decimal units in English like the Hub', () => {
    expect(formatBytes(450_000_000, 'en')).toBe('450 MB');
    expect(formatBytes(1_000, 'en')).toBe('1 kB');
    expect(formatBytes(63_200_000, 'en')).toBe('63.2 MB');
    expect(formatBytes(0, 'en')).toBe('0 B');
  });

  it('moves up a unit instead of printing 1,000', () => {
    expect(formatBytes(999_960_000, 'en')).toBe('1 GB');
  });

  it('caps huge values at terabytes', () => {
    expect(formatBytes(5e18, 'en')).toBe('5,000,000 TB');
    expect(formatBytes(5e18, 'fa')).toBe('۵٬۰۰۰٬۰۰۰ ترابایت');
  });

  it('says unknown for null, undefined and NaN', () => {
    expect(formatBytes(null, 'fa')).toBe('نامشخص');
    expect(formatBytes(undefined, 'en')).toBe('unknown');
    expect(formatBytes(Number.NaN, 'en')).toBe('unknown');
  });

  it('defaults to Persian', () => {
    expect(formatBytes(450_000_000)).toBe('۴۵۰ مگابایت');
  });
});

describe('formatSpeed', () => {
  it('formats bytes per second', () => {
    expect(formatSpeed(2_500_000, 'fa')).toBe('۲٫۵ مگابایت بر ثانیه');
    expect(formatSpeed(2_500_000, 'en')).toBe('2.5 MB/s');
    expect(formatSpeed(0, 'fa')).toBe('۰ بایت بر ثانیه');
    expect(formatSpeed(null, 'en')).toBe('unknown');
  });
});

describe('formatBytesRange', () => {
  it('drops the repeated unit when both sides share it', () => {
    expect(formatBytesRange(120_000_000, 450_000_000, 'fa')).toBe('۱۲۰ از ۴۵۰ مگابایت');
    expect(formatBytesRange(120_000_000, 450_000_000, 'en')).toBe('120 of 450 MB');
  });

  it('keeps both units when they differ', () => {
    expect(formatBytesRange(800_000, 450_000_000, 'fa')).toBe('۸۰۰ کیلوبایت از ۴۵۰ مگابایت');
  });

  it('says the total is unknown', () => {
    expect(formatBytesRange(120_000_000, null, 'fa')).toBe('۱۲۰ مگابایت دریافت شد، حجم کل نامشخص');
    expect(formatBytesRange(120_000_000, null, 'en')).toBe('120 MB received, total size unknown');
  });
});

describe('formatDuration', () => {
  it('writes at most two units in Persian', () => {
    expect(formatDuration(135, 'fa')).toBe('۲ دقیقه و ۱۵ ثانیه');
    expect(formatDuration(45, 'fa')).toBe('۴۵ ثانیه');
    expect(formatDuration(3725, 'fa')).toBe('۱ ساعت و ۲ دقیقه');
    expect(formatDuration(3600, 'fa')).toBe('۱ ساعت');
    expect(formatDuration(120, 'fa')).toBe('۲ دقیقه');
  });

  it('writes short English units', () => {
    expect(formatDuration(135, 'en')).toBe('2 min 15 s');
    expect(formatDuration(3725, 'en')).toBe('1 h 2 min');
    expect(formatDuration(0, 'en')).toBe('0 s');
  });

  it('rounds fractions and handles huge and unknown values', () => {
    expect(formatDuration(134.6, 'en')).toBe('2 min 15 s');
    expect(formatDuration(360_000, 'fa')).toBe('۱۰۰ ساعت');
    expect(formatDuration(null, 'fa')).toBe('نامشخص');
    expect(formatDuration(-1, 'en')).toBe('unknown');
    expect(formatDuration(Number.POSITIVE_INFINITY, 'en')).toBe('unknown');
  });
});

describe('formatPercent and formatNumber', () => {
  it('formats 0–100 percentages', () => {
    expect(formatPercent(45, 'fa')).toBe('۴۵٪');
    expect(formatPercent(45, 'en')).toBe('45%');
    expect(formatPercent(0, 'fa')).toBe('۰٪');
    expect(formatPercent(100, 'en')).toBe('100%');
    expect(formatPercent(45.56, 'en', 1)).toBe('45.6%');
  });

  it('clamps out-of-range and non-finite values', () => {
    expect(formatPercent(101, 'en')).toBe('100%');
    expect(formatPercent(-3, 'en')).toBe('0%');
    expect(formatPercent(Number.NaN, 'en')).toBe('0%');
  });

  it('uses Persian digits and separators', () => {
    expect(formatNumber(1234567.5, 'fa')).toBe('۱٬۲۳۴٬۵۶۷٫۵');
    expect(formatNumber(1234567.5, 'en')).toBe('1,234,567.5');
    expect(formatNumber(0, 'fa')).toBe('۰');
    expect(formatNumber(1234567890, 'fa')).toMatch(/^[۰-۹٬]+$/);
  });
});
