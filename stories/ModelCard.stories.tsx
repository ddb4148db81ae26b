import { ModelCard, type ModelCardProps } from '@persian-hub/react';
import { Grid } from '@radix-ui/themes';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { fn } from 'storybook/test';
import {
  commonVoice,
  commonVoiceGated,
  downloading,
  dornaGguf,
  failedWith,
  installed,
  job,
  mmsTts,
  parsBert,
  piperAmir,
  withJob,
} from './fixtures.js';

const meta = {
  title: 'Components/ModelCard',
  component: ModelCard,
  args: {
    model: piperAmir,
    onDownload: fn(),
    onPause: fn(),
    onResume: fn(),
    onCancel: fn(),
    onRemove: fn(),
    onOpenFolder: fn(),
  },
  decorators: [
    (Story, context) => (
      <div style={{ maxInlineSize: (context.parameters.maxInlineSize as number | undefined) ?? 420 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ModelCard>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Idle: Story = {};

export const Queued: Story = { args: { model: withJob(parsBert, job(parsBert, { status: 'queued', bytesTotal: null })) } };

export const Downloading: Story = { args: { model: withJob(parsBert, downloading(parsBert, { currentFile: 'pytorch_model.bin' })) } };

export const DownloadingUnknownTotal: Story = {
  args: {
    model: withJob(
      commonVoice,
      job(commonVoice, { bytesTotal: null, bytesDownloaded: 84_000_000, speed: 3_100_000, currentFile: 'data/train-00000-of-00004.parquet' }),
    ),
  },
};

export const Paused: Story = {
  args: { model: withJob(parsBert, downloading(parsBert, { status: 'paused', speed: 0, eta: null })) },
};

export const Stalled: Story = {
  args: { model: withJob(dornaGguf, downloading(dornaGguf, { speed: 0, eta: null })), stalled: true },
};

export const PendingPause: Story = {
  args: { model: withJob(parsBert, downloading(parsBert)), pendingAction: 'pause' },
};

export const FailedGatedRepo: Story = {
  args: {
    model: failedWith(commonVoiceGated, 'GATED_REPO', 'Access to dataset mozilla-foundation/common_voice_17_0 is restricted', {
      status: 403,
    }),
  },
};

export const FailedDiskFull: Story = {
  args: {
    model: failedWith(dornaGguf, 'DISK_FULL', 'ENOSPC: no space left on device', {
      requiredBytes: 2_706_000_000,
      availableBytes: 1_150_000_000,
    }),
  },
};

export const FailedNetwork: Story = {
  args: { model: failedWith(parsBert, 'NETWORK', 'fetch failed: ECONNRESET') },
};

export const FailedBlocked: Story = {
  args: { model: failedWith(parsBert, 'BLOCKED', 'TLS handshake reset by peer (huggingface.co)') },
};

export const FailedChecksumMismatch: Story = {
  args: {
    model: failedWith(parsBert, 'CHECKSUM_MISMATCH', 'sha256 mismatch for pytorch_model.bin', { file: 'pytorch_model.bin' }),
  },
};

export const FailedRateLimited: Story = {
  args: { model: failedWith(piperAmir, 'RATE_LIMITED', 'HTTP 429 Too Many Requests', { status: 429, retryAfter: 90 }) },
};

export const FailedRepoNotFound: Story = {
  args: {
    model: failedWith({ ...parsBert, repoId: 'HooshvareLab/bert-fa-zwnj-base-v9' }, 'REPO_NOT_FOUND', 'Repository Not Found', {
      status: 404,
    }),
  },
};

export const Installed: Story = {
  args: {
    model: {
      ...piperAmir,
      installed: installed(piperAmir),
      job: job(piperAmir, { status: 'completed', progress: 100, bytesDownloaded: piperAmir.sizeBytes }),
    },
  },
};

export const InstalledWithoutOpenFolder: Story = {
  args: { model: { ...piperAmir, installed: installed(piperAmir) }, onOpenFolder: undefined },
};

export const Gated: Story = { args: { model: commonVoiceGated } };

export const NonCommercial: Story = { args: { model: mmsTts } };

export const Dataset: Story = { args: { model: commonVoice } };

const gallery: ModelCardProps['model'][] = [
  piperAmir,
  withJob(parsBert, downloading(parsBert, { currentFile: 'pytorch_model.bin' })),
  withJob(commonVoice, job(commonVoice, { bytesTotal: null, bytesDownloaded: 84_000_000, speed: 3_100_000 })),
  withJob(parsBert, downloading(parsBert, { status: 'paused', speed: 0, eta: null })),
  { ...piperAmir, installed: installed(piperAmir) },
  mmsTts,
  failedWith(dornaGguf, 'DISK_FULL', 'ENOSPC', { requiredBytes: 2_706_000_000, availableBytes: 1_150_000_000 }),
  commonVoiceGated,
];

function Gallery(props: Omit<ModelCardProps, 'model'>) {
  return (
    <Grid columns={{ initial: '1', sm: '2' }} gap="4">
      {gallery.map((model, i) => (
        <ModelCard key={i} {...props} model={model} />
      ))}
    </Grid>
  );
}

const galleryStory = (locale: 'fa' | 'en', theme: 'light' | 'dark'): Story => ({
  render: ({ model: _model, ...args }) => <Gallery {...args} />,
  parameters: { maxInlineSize: 900 },
  globals: { locale, theme },
});

// One story per locale × appearance, so a screenshot test can visit each by id.
export const GalleryFaLight = galleryStory('fa', 'light');
export const GalleryFaDark = galleryStory('fa', 'dark');
export const GalleryEnLight = galleryStory('en', 'light');
export const GalleryEnDark = galleryStory('en', 'dark');
