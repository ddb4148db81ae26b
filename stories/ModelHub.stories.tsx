// The real ModelHub container (store + hooks + live events + toasts) over a FAKE in-browser client:
// nothing is fetched. Click «دانلود» / Download, then pause, resume, cancel or remove.
import { ModelHub, PersianHubProvider } from '@persian-hub/react';
import { Callout } from '@radix-ui/themes';
import { InfoCircledIcon } from '@radix-ui/react-icons';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo } from 'react';
import { createFakePersianHubClient } from './fakePersianHubClient.js';
import { catalog } from './fixtures.js';

function LiveHub({ locale }: { locale: 'fa' | 'en' }) {
  const client = useMemo(() => createFakePersianHubClient(catalog), []);
  return (
    <>
      <Callout.Root color="gray" size="1" mb="3">
        <Callout.Icon>
          <InfoCircledIcon />
        </Callout.Icon>
        <Callout.Text>
          {locale === 'fa'
            ? 'نمونهٔ ساختگی: کلاینت درون مرورگر دانلود را شبیه‌سازی می‌کند؛ چیزی از شبکه گرفته نمی‌شود.'
            : 'Fake: an in-browser client simulates downloads; nothing is fetched.'}
        </Callout.Text>
      </Callout.Root>
      <PersianHubProvider client={client}>
        <ModelHub locale={locale} />
      </PersianHubProvider>
    </>
  );
}

const meta = {
  title: 'Demos/ModelHub (store + fake client)',
  component: LiveHub,
  parameters: { layout: 'padded' },
} satisfies Meta<typeof LiveHub>;
export default meta;

type Story = StoryObj<typeof meta>;
export const Persian: Story = { args: { locale: 'fa' }, globals: { locale: 'fa' } };
export const English: Story = { args: { locale: 'en' }, globals: { locale: 'en' } };
