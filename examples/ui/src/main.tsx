import '@radix-ui/themes/styles.css';
import { Button, Flex, Theme } from '@radix-ui/themes';
import { ModelHub, PersianHubProvider, type Locale } from '@persian-hub/react';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

type Appearance = 'light' | 'dark';

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
  const [locale, setLocale] = useState<Locale>(() => (localStorage.getItem('ph-locale') as Locale) ?? 'fa');
  const [appearance, setAppearance] = useState<Appearance>(() => (localStorage.getItem('ph-appearance') as Appearance) ?? 'light');
  const dir = locale === 'fa' ? 'rtl' : 'ltr';
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = dir;
    localStorage.setItem('ph-locale', locale);
    localStorage.setItem('ph-appearance', appearance);
  }, [locale, dir, appearance]);
  // Radix Themes' <Theme> has no `dir` prop: with asChild it renders onto our div, which carries it.
  return (
    <Theme asChild appearance={appearance} accentColor="teal" radius="medium">
      <div dir={dir}>
        <Flex justify="end" gap="2" p="3" style={{ paddingInline: 'var(--space-5)' }}>
          <Button variant="soft" highContrast onClick={() => setLocale(locale === 'fa' ? 'en' : 'fa')} lang={locale === 'fa' ? 'en' : 'fa'}>
            {locale === 'fa' ? 'English' : 'فارسی'}
          </Button>
          <Button variant="soft" highContrast onClick={() => setAppearance(appearance === 'light' ? 'dark' : 'light')}>
            {appearance === 'light' ? (locale === 'fa' ? 'حالت تیره' : 'Dark') : locale === 'fa' ? 'حالت روشن' : 'Light'}
          </Button>
        </Flex>
        <PersianHubProvider baseUrl="/api/sources" token={adminToken}>
          <ModelHub locale={locale} dir={dir} endpoint={window.__PERSIAN_HUB_ENDPOINT__} allowBundleImport />
        </PersianHubProvider>
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
