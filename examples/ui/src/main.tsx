// Only the Radix Themes CSS this page uses: the base tokens, the colours the kit and the page use
// (teal accent with its sage greys; red, green, amber, orange, blue for states), the components
// and the utility classes. `@radix-ui/themes/styles.css` would add 25 other palettes (≈670 KB).
import '@radix-ui/themes/tokens/base.css';
import '@radix-ui/themes/tokens/colors/teal.css';
import '@radix-ui/themes/tokens/colors/sage.css';
import '@radix-ui/themes/tokens/colors/gray.css';
import '@radix-ui/themes/tokens/colors/red.css';
import '@radix-ui/themes/tokens/colors/green.css';
import '@radix-ui/themes/tokens/colors/amber.css';
import '@radix-ui/themes/tokens/colors/orange.css';
import '@radix-ui/themes/tokens/colors/blue.css';
import '@radix-ui/themes/components.css';
import '@radix-ui/themes/utilities.css';
import './page.css';
import { Button, Flex, Theme } from '@radix-ui/themes';
import { ModelHub, PersianHubProvider, type Locale } from '@persian-hub/react';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

type Appearance = 'light' | 'dark';

const stored = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
  const value = localStorage.getItem(key);
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : fallback;
};

/**
 * The admin token of a server bound beyond localhost (PERSIAN_HUB_ADMIN_TOKEN): opened once as
 * `…/#token=<token>`, kept for this tab only and taken out of the address bar and history.
 */
function adminToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('ph-admin-token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('ph-admin-token');
}

function App() {
  const [locale, setLocale] = useState<Locale>(() => stored('ph-locale', ['fa', 'en'] as const, 'fa'));
  const [appearance, setAppearance] = useState<Appearance>(() =>
    stored('ph-appearance', ['light', 'dark'] as const, matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'),
  );
  const dir = locale === 'fa' ? 'rtl' : 'ltr';
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = dir;
    document.documentElement.style.colorScheme = appearance;
    localStorage.setItem('ph-locale', locale);
    localStorage.setItem('ph-appearance', appearance);
  }, [locale, dir, appearance]);
  // Radix Themes' <Theme> has no `dir` prop: with asChild it renders onto our div, which carries it.
  return (
    <Theme asChild appearance={appearance} accentColor="teal" grayColor="sage" radius="medium">
      <div dir={dir} className="page" data-locale={locale}>
      <Flex asChild justify="end" gap="2" px="4" pt="3">
        <nav aria-label={locale === 'fa' ? 'تنظیمات صفحه' : 'Page settings'}>
          <Button variant="soft" highContrast onClick={() => setLocale(locale === 'fa' ? 'en' : 'fa')} lang={locale === 'fa' ? 'en' : 'fa'}>
            {locale === 'fa' ? 'English' : 'فارسی'}
          </Button>
          <Button variant="soft" highContrast onClick={() => setAppearance(appearance === 'light' ? 'dark' : 'light')}>
            {appearance === 'light' ? (locale === 'fa' ? 'حالت تیره' : 'Dark') : locale === 'fa' ? 'حالت روشن' : 'Light'}
          </Button>
        </nav>
      </Flex>
      <main className="page-main">
        <PersianHubProvider baseUrl="/api/sources" token={adminToken}>
          <ModelHub locale={locale} dir={dir} headingLevel={1} endpoint={window.__PERSIAN_HUB_ENDPOINT__} allowBundleImport />
        </PersianHubProvider>
      </main>
      </div>
    </Theme>
  );
}

declare global {
  interface Window {
    __PERSIAN_HUB_ENDPOINT__?: string;
  }
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
