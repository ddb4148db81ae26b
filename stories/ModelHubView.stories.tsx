import { ModelHubView } from '@persian-hub/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { fn } from 'storybook/test';
import { liveCatalog } from './fixtures.js';

const meta = {
  title: 'Components/ModelHubView',
  component: ModelHubView,
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
  error: { code: 'NETWORK', message: 'GET /api/sources/models/available: fetch failed' },
};

export const Loaded: Story = { args: loaded };
export const Loading: Story = { args: loading };
export const Empty: Story = { args: empty };
export const Error: Story = { args: error };
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
