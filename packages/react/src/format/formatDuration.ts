import type { Locale } from '../i18n/Messages.js';
import { getMessages } from '../i18n/getMessages.js';
import { formatNumber } from './formatNumber.js';

/**
 * At most two units, largest first: `formatDuration(135, 'fa')` → «۲ دقیقه و ۱۵ ثانیه»,
 * en → "2 min 15 s"; 3725 s → «۱ ساعت و ۲ دقیقه». A zero second unit is dropped (3600 → «۱ ساعت»).
 * Written by hand because Intl.DurationFormat is missing in Node 20.
 */
export function formatDuration(seconds: number | null | undefined, locale: Locale = 'fa'): string {
  const m = getMessages(locale);
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return m.units.unknown;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const n = (value: number) => formatNumber(value, locale);
  const parts: string[] = [];
  if (h > 0) {
    parts.push(m.units.hours(n(h)));
    if (min > 0) parts.push(m.units.minutes(n(min)));
  } else if (min > 0) {
    parts.push(m.units.minutes(n(min)));
    if (s > 0) parts.push(m.units.seconds(n(s)));
  } else {
    parts.push(m.units.seconds(n(s)));
  }
  const [first, second] = parts as [string, string | undefined];
  return second === undefined ? first : m.units.durationJoin(first, second);
}
