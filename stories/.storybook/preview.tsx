import '@radix-ui/themes/styles.css';
import './preview.css';
import { LocaleProvider, type Locale } from '@persian-hub/react';
import { Theme, VisuallyHidden } from '@radix-ui/themes';
import type { Decorator, Preview } from '@storybook/react-vite';
import { useEffect } from 'react';

const withPersianHubTheme: Decorator = (Story, context) => {
  const locale: Locale = context.globals.locale === 'en' ? 'en' : 'fa';
  const appearance = context.globals.theme === 'dark' ? 'dark' : 'light';
  const dir = locale === 'fa' ? 'rtl' : 'ltr';
  useEffect(() => {
    // Portals and the page background live outside the Theme element.
    document.documentElement.lang = locale;
    document.documentElement.dir = dir;
    document.documentElement.style.colorScheme = appearance;
    document.body.classList.toggle('dark', appearance === 'dark');
  }, [locale, dir, appearance]);
  return (
    // Radix Themes' <Theme> has no `dir` prop: with asChild it renders onto our div, which carries it.
    <Theme asChild appearance={appearance} accentColor="teal" className="sb-theme">
      <div dir={dir} lang={locale} data-locale={locale}>
        <LocaleProvider locale={locale}>
          {/* Every story is a page of its own for axe: one main landmark and one h1 (a story's own headings start at h2). */}
          <main style={{ padding: 24 }}>
            <VisuallyHidden>
              <h1>{`Persian Hub: ${context.title} / ${context.name}`}</h1>
            </VisuallyHidden>
            <Story />
          </main>
        </LocaleProvider>
      </div>
    </Theme>
  );
};

const preview: Preview = {
  decorators: [withPersianHubTheme],
  globalTypes: {
    locale: {
      description: 'Language and direction',
      toolbar: {
        title: 'Locale',
        icon: 'globe',
        items: [
          { value: 'fa', title: 'فارسی (RTL)' },
          { value: 'en', title: 'English (LTR)' },
        ],
        dynamicTitle: true,
      },
    },
    theme: {
      description: 'Radix Themes appearance',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { locale: 'fa', theme: 'light' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
  tags: ['autodocs'],
};

export default preview;
