import type { Locale } from '../i18n/Messages.js';
import { getMessages } from '../i18n/getMessages.js';
import { formatNumber } from './formatNumber.js';

const UNIT = 1000;

interface Scaled {
  readonly value: number;
  readonly unitIndex: number;
}

// Decimal units (kB = 1000 B), like the Hugging Face Hub shows sizes.
function scale(bytes: number): Scaled {
  let value = Math.max(0, bytes);
  let unitIndex = 0;
  while (value >= UNIT && unitIndex < 4) {
    value /= UNIT;
    unitIndex += 1;
  }
  // 999.96 MB would print as «۱٬۰۰۰ مگابایت»; move it up a unit instead.
  if (unitIndex < 4 && roundFor(value, unitIndex) >= UNIT) {
    value /= UNIT;
    unitIndex += 1;
  }
  return { value, unitIndex };
}

function digitsFor(value: number, unitIndex: number): number {
  if (unitIndex === 0) return 0;
  return value < 100 ? 1 : 0;
}

function roundFor(value: number, unitIndex: number): number {
  const f = 10 ** digitsFor(value, unitIndex);
  return Math.round(value * f) / f;
}

function amount(scaled: Scaled, locale: Locale): string {
  return formatNumber(scaled.value, locale, { maximumFractionDigits: digitsFor(scaled.value, scaled.unitIndex) });
}

function isKnown(bytes: number | null | undefined): bytes is number {
  return typeof bytes === 'number' && Number.isFinite(bytes);
}

/**
 * `formatBytes(450_000_000, 'fa')` → «۴۵۰ مگابایت»; `formatBytes(450_000_000, 'en')` → "450 MB".
 * null or undefined (an unknown size) gives the locale's word for unknown.
 */
export function formatBytes(bytes: number | null | undefined, locale: Locale = 'fa'): string {
  const m = getMessages(locale);
  if (!isKnown(bytes)) return m.units.unknown;
  const scaled = scale(bytes);
  return `${amount(scaled, locale)} ${m.units.bytes[scaled.unitIndex]}`;
}

/** `formatSpeed(2_500_000, 'fa')` → «۲٫۵ مگابایت بر ثانیه»; en → "2.5 MB/s". */
export function formatSpeed(bytesPerSecond: number | null | undefined, locale: Locale = 'fa'): string {
  const m = getMessages(locale);
  if (!isKnown(bytesPerSecond)) return m.units.unknown;
  return m.units.perSecond(formatBytes(bytesPerSecond, locale));
}

/**
 * «۱۲۰ از ۴۵۰ مگابایت» when both sides share a unit, else «۸۰۰ کیلوبایت از ۴۵۰ مگابایت».
 * An unknown total gives «۱۲۰ مگابایت دریافت شد، حجم کل نامشخص».
 */
export function formatBytesRange(done: number, total: number | null | undefined, locale: Locale = 'fa'): string {
  const m = getMessages(locale);
  if (!isKnown(total)) return m.progress.unknownTotal(formatBytes(done, locale));
  const a = scale(done);
  const b = scale(total);
  if (a.unitIndex === b.unitIndex) {
    return m.progress.rangeSameUnit(amount(a, locale), formatBytes(total, locale));
  }
  return m.progress.range(formatBytes(done, locale), formatBytes(total, locale));
}
