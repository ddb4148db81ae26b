import { ModelHubView } from '@persian-hub/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { fn } from 'storybook/test';
import { downloading, job, liveCatalog, parsBert, piperAmir } from './fixtures.js';

const meta = {
  title: 'Components/ModelHubView',
  component: ModelHubView,
  parameters: {
    docs: {
      description: {
        component:
          'The whole hub page from props only (`ModelHub` feeds it from the store). A failed refresh never blanks it: `refreshError` keeps the list and shows a thin notice with the countdown to the next try, naming who failed (our server, something in between, or the Hub behind the server).',
      },
    },
  },
  args: {
    models: liveCatalog,
    query: '',
    kind: 'all',
    loading: false,
    error: null,
    stalledJobIds: [],
    onQueryChange: fn(),
    onKindChange: fn(),
    onRetry: fn(),
    onDownload: fn(),
    onPause: fn(),
    onResume: fn(),
    onCancel: fn(),
    onRemove: fn(),
    onOpenFolder: fn(),
  },
  // Query and kind are controlled props; keep them in story state so typing and filtering work.
  render: function Render(args) {
    const [query, setQuery] = useState(args.query);
    const [kind, setKind] = useState(args.kind);
    return (
      <ModelHubView
        {...args}
        query={query}
        kind={kind}
        onQueryChange={(q) => {
          setQuery(q);
          args.onQueryChange?.(q);
        }}
        onKindChange={(k) => {
          setKind(k);
          args.onKindChange?.(k);
        }}
      />
    );
  },
} satisfies Meta<typeof ModelHubView>;

export default meta;
type Story = StoryObj<typeof meta>;

const loaded: Story['args'] = {};
const loading: Story['args'] = { models: [], loading: true };
const empty: Story['args'] = { query: 'whisper-large-v9' };
const error: Story['args'] = {
  models: [],
  error: { code: 'NETWORK', message: 'Could not reach /api/sources/models/available', status: 0, origin: 'network' },
  retryAt: Date.now() + 8_000,
};

export const Loaded: Story = { args: loaded };
export const Loading: Story = { args: loading };
export const Empty: Story = { args: empty };
export const Error: Story = { args: error };
/** A filter or proxy answered instead of our server (an HTML page with 403). */
export const ErrorIntermediary: Story = { args: { models: [], error: { code: 'FORBIDDEN', message: 'HTTP 403 Forbidden', status: 403, origin: 'intermediary' } } };
/** Our server is fine but cannot reach Hugging Face. */
export const ErrorHub: Story = { args: { models: [], error: { code: 'BLOCKED', message: 'huggingface.co: connection reset', status: 502, origin: 'server' } } };
/** A refresh failed (after a download completed): every card stays, a thin notice says so and counts down to the next try. */
export const RefreshFailed: Story = {
  args: { refreshError: { code: 'INTERNAL', message: 'HTTP 500 Internal Server Error', status: 500, origin: 'server' }, retryAt: Date.now() + 16_000 },
};
/** The event stream dropped and is being opened again. */
export const Reconnecting: Story = { args: { liveStatus: 'reconnecting' } };
/** Toasts for a started, a completed and a failed download (a failure stays twice as long). */
export const Toasts: Story = {
  args: {
    toastDuration: 600_000,
    notifications: [
      { id: 't1', type: 'started', job: downloading(parsBert) },
      { id: 't2', type: 'completed', job: job(piperAmir, { status: 'completed', progress: 100 }) },
      { id: 't3', type: 'failed', job: job(parsBert, { status: 'failed', error: { code: 'DISK_FULL', message: 'ENOSPC', details: { requiredBytes: 475_000_000, availableBytes: 120_000_000 } } }) },
    ],
  },
};
export const FilteredToTts: Story = { args: { kind: 'tts' } };
export const PersianSearch: Story = { args: { query: 'فارسی' } };

/** With `onImportBundle`: "Install from offline bundle…" opens the file picker for a `.tar` (e.g. on a USB drive). */
export const WithBundleImport: Story = { args: { onImportBundle: fn() } };
export const BundleImportUploading: Story = { args: { onImportBundle: fn(), importingBundle: true } };
/** The server refused the bundle: one file's hash did not match its manifest. Nothing was installed. */
export const BundleImportRefused: Story = {
  args: {
    onImportBundle: fn(),
    importBundleError: {
      code: 'BUNDLE_INVALID',
      message: '"fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx" in the bundle is corrupt',
      details: { file: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx' },
    },
  },
};
export const BundleImportRefusedEnDark: Story = { ...BundleImportRefused, globals: { locale: 'en', theme: 'dark' } };

// Every state as its own story per locale × appearance, for screenshot tests.
export const LoadedFaLight: Story = { args: loaded, globals: { locale: 'fa', theme: 'light' } };
export const LoadedFaDark: Story = { args: loaded, globals: { locale: 'fa', theme: 'dark' } };
export const LoadedEnLight: Story = { args: loaded, globals: { locale: 'en', theme: 'light' } };
export const LoadedEnDark: Story = { args: loaded, globals: { locale: 'en', theme: 'dark' } };
export const LoadingFaLight: Story = { args: loading, globals: { locale: 'fa', theme: 'light' } };
export const LoadingFaDark: Story = { args: loading, globals: { locale: 'fa', theme: 'dark' } };
export const LoadingEnLight: Story = { args: loading, globals: { locale: 'en', theme: 'light' } };
export const LoadingEnDark: Story = { args: loading, globals: { locale: 'en', theme: 'dark' } };
export const EmptyFaLight: Story = { args: empty, globals: { locale: 'fa', theme: 'light' } };
export const EmptyFaDark: Story = { args: empty, globals: { locale: 'fa', theme: 'dark' } };
export const EmptyEnLight: Story = { args: empty, globals: { locale: 'en', theme: 'light' } };
export const EmptyEnDark: Story = { args: empty, globals: { locale: 'en', theme: 'dark' } };
export const ErrorFaLight: Story = { args: error, globals: { locale: 'fa', theme: 'light' } };
export const ErrorFaDark: Story = { args: error, globals: { locale: 'fa', theme: 'dark' } };
export const ErrorEnLight: Story = { args: error, globals: { locale: 'en', theme: 'light' } };
export const ErrorEnDark: Story = { args: error, globals: { locale: 'en', theme: 'dark' } };
