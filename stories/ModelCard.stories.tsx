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
  retryIn90s,
  withJob,
} from './fixtures.js';

const meta = {
  title: 'Components/ModelCard',
  component: ModelCard,
  parameters: {
    docs: {
      description: {
        component:
          'One catalog entry: what it is (chips for kind, size, licence, commercial use yes/no/unclear, format, runtime, memory, pickle, gated), its live progress with an honest state, its error written for the person clicking (the admin part folded) with the next step, and its actions. Pause is the main action while downloading; Cancel and Remove ask first. Every button is named after its model for screen readers.',
      },
    },
  },
  args: {
    model: piperAmir,
    // The story page has its own h1, so the card title is an h2 here (h3 inside the hub).
    headingLevel: 2,
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

/** `resolving`: the job asks the Hub for the file list. «Preparing», with the size the catalog expects. */
export const Preparing: Story = { args: { model: withJob(parsBert, job(parsBert, { status: 'resolving', bytesTotal: null })) } };

/** A 429 with Retry-After 90 s: a countdown and the attempt, not «queued». */
export const WaitingToRetry: Story = { args: { model: withJob(parsBert, retryIn90s(parsBert)) } };

/** The last bytes arrived; the hashes are checked. Only Cancel is offered. */
export const Verifying: Story = {
  args: { model: withJob(parsBert, downloading(parsBert, { status: 'verifying', progress: 100, bytesDownloaded: parsBert.sizeBytes, speed: 0, eta: null })) },
};

/** After Cancel (the dialog said how much was deleted): Download again. */
export const Cancelled: Story = {
  args: { model: withJob(parsBert, downloading(parsBert, { status: 'cancelled', speed: 0, eta: null, error: { code: 'CANCELLED', message: 'Cancelled by the user' } })) },
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

/** Hugging Face cannot be reached from the server: the next step is an offline bundle (when the host takes uploads). */
export const FailedBlocked: Story = {
  args: { model: failedWith(parsBert, 'BLOCKED', 'TLS handshake reset by peer (huggingface.co)'), onPickBundle: fn() },
};

/** 401: the server's token was refused. Nothing is wrong on the person's side; the admin part says what to change. */
export const FailedUnauthorized: Story = {
  args: { model: failedWith(dornaGguf, 'UNAUTHORIZED', 'Invalid credentials in Authorization header', { status: 401 }) },
};

/** A gated repo refused, on a server without a Hugging Face token: requesting access alone will not help here. */
export const FailedGatedNoToken: Story = {
  args: {
    model: failedWith(commonVoiceGated, 'GATED_REPO', 'Access to dataset mozilla-foundation/common_voice_17_0 is restricted', { status: 403 }),
    capabilities: { hubToken: false, bundleUpload: false },
  },
};

/** The Hub answered with nonsense: the status in Persian digits. */
export const FailedHubError: Story = {
  args: { model: failedWith(parsBert, 'HUB_ERROR', 'Unexpected answer from the Hub: not JSON', { status: 200 }) },
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

/** Before any download: the access request is one click away, and the card says whether this server can use it. */
export const Gated: Story = { args: { model: commonVoiceGated, capabilities: { hubToken: true, bundleUpload: false } } };

export const GatedServerWithoutToken: Story = { args: { model: commonVoiceGated, capabilities: { hubToken: false, bundleUpload: false } } };

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
  withJob(parsBert, retryIn90s(parsBert)),
  withJob(dornaGguf, job(dornaGguf, { status: 'resolving', bytesTotal: null })),
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
