import { ProgressBar } from '@persian-hub/react';
import { Card, Flex } from '@radix-ui/themes';
import type { Meta, StoryObj } from '@storybook/react-vite';

const meta = {
  title: 'Components/ProgressBar',
  component: ProgressBar,
  parameters: {
    docs: {
      description: {
        component:
          'A download\'s progress with a state that is true: queued, preparing (with the expected size), downloading (bytes, speed, time left, files), waiting to retry (countdown and attempt), stalled (with what to do), waiting for another program, paused, error, done. `progressPropsFromJob(job)` maps a job snapshot.',
      },
    },
  },
  args: {
    status: 'downloading',
    percent: 45,
    bytesDownloaded: 202_500_000,
    bytesTotal: 450_000_000,
    speed: 2_500_000,
    eta: 99,
    currentFile: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx',
  },
  decorators: [
    (Story) => (
      <div style={{ maxInlineSize: 480 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ProgressBar>;

export default meta;
type Story = StoryObj<typeof meta>;

export const DownloadingKnownTotal: Story = {};

export const UnknownTotal: Story = {
  args: { percent: null, bytesTotal: null, bytesDownloaded: 120_000_000, eta: null },
};

export const Paused: Story = { args: { status: 'paused', speed: 0, eta: null } };

export const Stalled: Story = { args: { stalled: true, speed: 0, eta: null } };

/** The server's cache is being filled with this file by another program (e.g. `persian-hub pull`): the job waits for it. */
export const WaitingForAnotherProgram: Story = { args: { waiting: true, speed: 0, eta: null, currentFile: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx' } };

export const Error: Story = { args: { status: 'error', speed: 0, eta: null, currentFile: null } };

export const Done: Story = {
  args: { status: 'done', percent: 100, bytesDownloaded: 450_000_000, speed: 0, eta: null, currentFile: null },
};

/** The job asks the Hub for the file list: the size the catalog expects, not «unknown». */
export const Preparing: Story = { args: { status: 'preparing', percent: null, bytesTotal: null, bytesDownloaded: 0, expectedBytes: 450_000_000, speed: 0, eta: null, currentFile: null } };

/** After a 429 with Retry-After 90 s: a countdown and the attempt. */
export const WaitingToRetry: Story = {
  args: { speed: 0, eta: null, retry: { attempt: 2, maxAttempts: 5, nextAttemptAt: new Date(Date.now() + 90_000).toISOString(), code: 'RATE_LIMITED' } },
};

/** The hashes are checked after the last byte. */
export const Verifying: Story = { args: { status: 'verifying', percent: 100, bytesDownloaded: 450_000_000, speed: 0, eta: null } };

export const Queued: Story = { args: { status: 'queued', percent: null, bytesTotal: null, bytesDownloaded: 0, currentFile: null } };

function AllStates() {
  const base = { bytesDownloaded: 202_500_000, bytesTotal: 450_000_000, percent: 45 };
  return (
    <Flex direction="column" gap="3">
      <Card>
        <ProgressBar {...base} speed={2_500_000} eta={99} currentFile="model.safetensors" />
      </Card>
      <Card>
        <ProgressBar bytesDownloaded={120_000_000} bytesTotal={null} speed={1_200_000} />
      </Card>
      <Card>
        <ProgressBar {...base} status="paused" />
      </Card>
      <Card>
        <ProgressBar {...base} stalled speed={0} />
      </Card>
      <Card>
        <ProgressBar {...base} waiting speed={0} currentFile="model.safetensors" />
      </Card>
      <Card>
        <ProgressBar status="preparing" bytesDownloaded={0} bytesTotal={null} expectedBytes={450_000_000} />
      </Card>
      <Card>
        <ProgressBar {...base} speed={0} retry={{ attempt: 2, maxAttempts: 5, nextAttemptAt: new Date(Date.now() + 90_000).toISOString(), code: 'RATE_LIMITED' }} />
      </Card>
      <Card>
        <ProgressBar {...base} status="error" />
      </Card>
      <Card>
        <ProgressBar status="done" bytesDownloaded={450_000_000} bytesTotal={450_000_000} />
      </Card>
    </Flex>
  );
}

// One story per locale × appearance, so a screenshot test can visit each by id.
export const AllStatesFaLight: Story = { render: () => <AllStates />, globals: { locale: 'fa', theme: 'light' } };
export const AllStatesFaDark: Story = { render: () => <AllStates />, globals: { locale: 'fa', theme: 'dark' } };
export const AllStatesEnLight: Story = { render: () => <AllStates />, globals: { locale: 'en', theme: 'light' } };
export const AllStatesEnDark: Story = { render: () => <AllStates />, globals: { locale: 'en', theme: 'dark' } };
