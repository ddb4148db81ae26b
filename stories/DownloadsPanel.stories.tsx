import { DownloadsPanel } from '@persian-hub/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { fn } from 'storybook/test';
import { catalog, downloadJobs } from './fixtures.js';

const meta = {
  title: 'Components/DownloadsPanel',
  component: DownloadsPanel,
  args: { jobs: downloadJobs, models: catalog, onPause: fn(), onResume: fn(), onCancel: fn() },
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

export const Default: Story = {};
export const Empty: Story = { args: { jobs: [] } };
export const FaLight: Story = { globals: { locale: 'fa', theme: 'light' } };
export const FaDark: Story = { globals: { locale: 'fa', theme: 'dark' } };
export const EnLight: Story = { globals: { locale: 'en', theme: 'light' } };
export const EnDark: Story = { globals: { locale: 'en', theme: 'dark' } };
