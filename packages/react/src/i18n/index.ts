export type { Locale, KindFilter, Messages, ErrorMessage, ErrorMessageContext, ListErrorCulprit } from './Messages.js';
export { messagesFa } from './messages.fa.js';
export { messagesEn } from './messages.en.js';
export { messages, LOCALES, DEFAULT_LOCALE, getMessages, dirFor } from './getMessages.js';
export { LocaleProvider, useLocale, useMessages, type LocaleProviderProps } from './LocaleProvider.js';
export {
  describeError,
  describeListError,
  listErrorCulprit,
  type ErrorAction,
  type ErrorLike,
  type DescribedError,
  type DescribeErrorOptions,
} from './describeError.js';
