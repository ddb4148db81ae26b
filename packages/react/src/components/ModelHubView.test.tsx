import { act, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { filterModels } from './filterModels.js';
import { ModelHubView, type HubNotification, type ModelHubViewProps } from './ModelHubView.js';
import { makeJob, makeModel, renderInTheme } from './testing.js';

const models = [
  makeModel(),
  makeModel({
    id: 'parsbert',
    repoId: 'HooshvareLab/bert-fa-zwnj-base',
    kind: 'model',
    name: { fa: 'پارس‌برت', en: 'ParsBERT' },
    description: { fa: 'مدل زبانی برت برای فارسی', en: 'BERT for Persian' },
    tags: ['bert', 'fill-mask'],
    provider: 'HooshvareLab',
  }),
  makeModel({
    id: 'common-voice-fa',
    repoId: 'hezarai/common-voice-13-fa',
    repoType: 'dataset',
    kind: 'dataset',
    name: { fa: 'کامن ویس فارسی', en: 'Common Voice Persian' },
    description: { fa: 'دیتاست گفتار فارسی', en: 'Persian speech dataset' },
    tags: ['speech'],
    provider: 'hezarai',
  }),
];

function renderHub(props: Partial<ModelHubViewProps> = {}) {
  const handlers = { onQueryChange: vi.fn(), onKindChange: vi.fn(), onRetry: vi.fn(), onDownload: vi.fn() };
  const result = renderInTheme(<ModelHubView models={models} query="" kind="all" {...handlers} {...props} />);
  return { ...result, handlers };
}

describe('ModelHubView', () => {
  it('shows a card per model, RTL by default', () => {
    const { container } = renderHub();
    expect(screen.getAllByRole('article')).toHaveLength(3);
    expect(container.querySelector('[data-locale="fa"]')?.getAttribute('dir')).toBe('rtl');
    expect(screen.getByRole('heading', { name: 'هاب فارسی' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('۳ مورد');
  });

  it('reports typing in the search box', () => {
    const { handlers } = renderHub();
    fireEvent.change(screen.getByRole('searchbox', { name: 'جستجو' }), { target: { value: 'برت' } });
    expect(handlers.onQueryChange).toHaveBeenLastCalledWith('برت');
  });

  it('filters by a Persian or an English query', () => {
    const { rerender } = renderHub({ query: 'برت' });
    expect(screen.getAllByRole('article')).toHaveLength(1);
    rerender(<ModelHubView models={models} query="parsbert" kind="all" locale="en" />);
    expect(screen.getByRole('heading', { name: 'ParsBERT' })).toBeTruthy();
  });

  it('reports the kind filter and filters by it', async () => {
    const user = userEvent.setup();
    const { handlers, rerender } = renderHub({ locale: 'en' });
    await user.click(screen.getByRole('radio', { name: 'Dataset' }));
    expect(handlers.onKindChange).toHaveBeenCalledWith('dataset');
    rerender(<ModelHubView models={models} query="" kind="dataset" locale="en" />);
    expect(screen.getAllByRole('article')).toHaveLength(1);
    expect(screen.getByRole('radio', { name: 'Dataset' }).getAttribute('aria-checked')).toBe('true');
  });

  it('offers the kind filter as a select on narrow screens', async () => {
    const user = userEvent.setup();
    const { handlers } = renderHub({ locale: 'en' });
    await user.click(screen.getByRole('combobox', { name: 'Kind' }));
    await user.click(await screen.findByRole('option', { name: 'Speech recognition' }));
    expect(handlers.onKindChange).toHaveBeenCalledWith('asr');
  });

  it('leaves filtering to the host when filterLocally is false', () => {
    renderHub({ query: 'nothing matches this', filterLocally: false });
    expect(screen.getAllByRole('article')).toHaveLength(3);
  });

  it('passes card callbacks through', async () => {
    const user = userEvent.setup();
    const { handlers } = renderHub({ locale: 'en', kind: 'dataset' });
    await user.click(screen.getByRole('button', { name: 'Download' }));
    expect(handlers.onDownload).toHaveBeenCalledWith('common-voice-fa');
  });

  it('shows an empty state that can clear the search', async () => {
    const user = userEvent.setup();
    const { handlers } = renderHub({ query: 'xyz', locale: 'en' });
    expect(screen.getByTestId('hub-empty').textContent).toContain('No results for “xyz”');
    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(handlers.onQueryChange).toHaveBeenCalledWith('');
  });

  it('shows an empty state for an empty catalog', () => {
    renderHub({ models: [] });
    expect(screen.getByTestId('hub-empty').textContent).toContain('موردی پیدا نشد');
  });

  it('shows skeletons while loading', () => {
    renderHub({ models: [], loading: true });
    expect(screen.getByTestId('hub-skeleton').getAttribute('aria-busy')).toBe('true');
    expect(screen.queryAllByRole('article')).toHaveLength(0);
    expect(screen.getByRole('status').textContent).toBe('در حال بارگذاری…');
  });

  it('shows an error with a retry button', async () => {
    const user = userEvent.setup();
    const { handlers } = renderHub({ error: { code: 'NETWORK', message: 'fetch failed' }, locale: 'en' });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not load the list');
    expect(alert.textContent).toContain('HF_ENDPOINT');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(handlers.onRetry).toHaveBeenCalledTimes(1);
  });
});

describe('ModelHubView notifications', () => {
  const started: HubNotification = { id: 'n1', type: 'started', job: makeJob() };
  const failed: HubNotification = {
    id: 'n2',
    type: 'failed',
    job: makeJob({ status: 'failed', error: { code: 'DISK_FULL', message: 'ENOSPC' } }),
  };

  it('shows toasts for started, completed and failed downloads', () => {
    const { rerender } = renderHub({ notifications: [started] });
    expect(screen.getByText('دانلود «صدای امیر (Piper)» شروع شد')).toBeTruthy();
    rerender(
      <ModelHubView
        models={models}
        query=""
        kind="all"
        notifications={[started, { id: 'n3', type: 'completed', job: makeJob({ status: 'completed' }) }, failed]}
      />,
    );
    expect(screen.getByText('دانلود «صدای امیر (Piper)» کامل شد')).toBeTruthy();
    expect(screen.getByText('دانلود «صدای امیر (Piper)» ناموفق بود')).toBeTruthy();
    expect(screen.getByText('فضای دیسک کافی نیست')).toBeTruthy();
    // Each id is shown once, however often the list is passed again.
    expect(screen.getAllByText('دانلود «صدای امیر (Piper)» شروع شد')).toHaveLength(1);
  });

  it('closes a toast with its close button', async () => {
    const user = userEvent.setup();
    renderHub({ locale: 'en', notifications: [started] });
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(screen.queryByText('Started downloading “Amir voice (Piper)”')).toBeNull();
  });

  it('hands notifications to onNotify instead of toasting', () => {
    const onNotify = vi.fn();
    const { rerender } = renderHub({ locale: 'en', notifications: [failed], onNotify });
    expect(onNotify).toHaveBeenCalledWith(failed, {
      title: 'Download of “Amir voice (Piper)” failed',
      description: 'Not enough disk space',
    });
    expect(screen.queryByText('Download of “Amir voice (Piper)” failed')).toBeNull();
    rerender(<ModelHubView models={models} query="" kind="all" locale="en" notifications={[failed]} onNotify={onNotify} />);
    expect(onNotify).toHaveBeenCalledTimes(1);
  });
});

describe('filterModels', () => {
  it('folds Arabic letters and Persian digits', () => {
    expect(filterModels(models, 'كامن ويس').map((m) => m.id)).toEqual(['common-voice-fa']);
    expect(filterModels(models, '۱۳').map((m) => m.id)).toEqual(['common-voice-fa']);
    expect(filterModels(models, 'HOOSHVARE').map((m) => m.id)).toEqual(['parsbert']);
    expect(filterModels(models, '', 'tts').map((m) => m.id)).toEqual(['piper-fa-amir']);
  });
});
