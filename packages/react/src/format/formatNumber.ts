import type { Locale } from '../i18n/Messages.js';

/** `fa-IR` gives Persian digits (۰–۹) and separators (٬ ٫). */
export function intlLocale(locale: Locale | undefined): string {
  return locale === 'en' ? 'en-US' : 'fa-IR';
}

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${intlLocale(locale)}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale), options);
    cache.set(key, format);
  }
  return format;
}

/** `formatNumber(1234.5, 'fa')` → «۱٬۲۳۴٫۵». */
export function formatNumber(value: number, locale: Locale = 'fa', options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, options).format(value);
}

/**
 * `percent` is 0–100 (as `JobSnapshot.progress`), not 0–1. Clamped, because a rounding
 * overshoot must never show «۱۰۱٪».
 * `formatPercent(45, 'fa')` → «۴۵٪».
 */
export function formatPercent(percent: number, locale: Locale = 'fa', fractionDigits = 0): string {
  const clamped = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: fractionDigits }).format(clamped / 100);
}
