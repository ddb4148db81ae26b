import type { Locale, Messages } from './Messages.js';
import { messagesEn } from './messages.en.js';
import { messagesFa } from './messages.fa.js';

export const messages: { readonly [L in Locale]: Messages } = { fa: messagesFa, en: messagesEn };

export const LOCALES: readonly Locale[] = ['fa', 'en'];

export const DEFAULT_LOCALE: Locale = 'fa';

/** Unknown values fall back to Persian, the default, rather than throwing in render. */
export function getMessages(locale: Locale | undefined): Messages {
  return locale === 'en' ? messagesEn : messagesFa;
}

export function dirFor(locale: Locale | undefined): 'rtl' | 'ltr' {
  return getMessages(locale).dir;
}
