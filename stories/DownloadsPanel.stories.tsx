import { DownloadsPanel } from '@persian-hub/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { fn } from 'storybook/test';
import { catalog, downloadJobs } from './fixtures.js';

const meta = {
  title: 'Components/DownloadsPanel',
  component: DownloadsPanel,
  parameters: {
    docs: {
      description: {
        component:
          'Every job, running ones first, then queued, paused, failed and finished; each with a true state, Pause as the main action, a Cancel that asks first, and its files on demand (`onLoadFiles` fetches the whole job once: events carry only the files that changed). `ModelHub` shows it in a side sheet behind its «Downloads» button.',
      },
    },
  },
  args: { jobs: downloadJobs, models: catalog, onPause: fn(), onResume: fn(), onCancel: fn(), onLoadFiles: fn(), onPickBundle: fn() },
  decorators: [
    (Story) => (
      <div style={{ maxInlineSize: 860 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof DownloadsPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Running, preparing, paused, waiting to retry, failed (BLOCKED, with the offline-bundle step) and completed jobs. */
export const Default: Story = {};
export const Empty: Story = { args: { jobs: [] } };
export const FaLight: Story = { globals: { locale: 'fa', theme: 'light' } };
export const FaDark: Story = { globals: { locale: 'fa', theme: 'dark' } };
export const EnLight: Story = { globals: { locale: 'en', theme: 'light' } };
export const EnDark: Story = { globals: { locale: 'en', theme: 'dark' } };
