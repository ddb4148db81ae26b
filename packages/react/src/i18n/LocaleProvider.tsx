import { createContext, useContext, type ReactNode } from 'react';
import type { Locale, Messages } from './Messages.js';
import { DEFAULT_LOCALE, getMessages } from './getMessages.js';

// A plain context with a constant default: no effects and no globals, so it renders the same
// on the server and in the browser.
const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export interface LocaleProviderProps {
  /** @default 'fa' */
  readonly locale?: Locale;
  readonly children?: ReactNode;
}

/** Sets the default `locale` for every Persian Hub component below it; a `locale` prop still wins. */
export function LocaleProvider({ locale = DEFAULT_LOCALE, children }: LocaleProviderProps) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

/** The prop when given, else the nearest LocaleProvider, else Persian. */
export function useLocale(locale?: Locale): Locale {
  const fromContext = useContext(LocaleContext);
  return locale ?? fromContext;
}

export function useMessages(locale?: Locale): Messages {
  return getMessages(useLocale(locale));
}
