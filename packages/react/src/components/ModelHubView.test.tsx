import { fireEvent, screen, waitFor, within } from '@testing-library/react';
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
    name: { fa: 'کامن ویس ۱۳ فارسی', en: 'Common Voice 13 Persian' },
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

  it('offers the kind filter as the browser’s own select on narrow screens', async () => {
    const user = userEvent.setup();
    const { handlers } = renderHub({ locale: 'en' });
    const select = screen.getByRole('combobox', { name: 'Kind' });
    expect(select.tagName).toBe('SELECT');
    await user.selectOptions(select, 'Speech recognition');
    expect(handlers.onKindChange).toHaveBeenCalledWith('asr');
  });

  it('finds what people type: the kind filter’s own label, Latin digits, words in any order', () => {
    const ids = () => screen.queryAllByRole('article').map((a) => a.getAttribute('data-model-id'));
    const { rerender } = renderHub({ query: 'دیتاست' });
    expect(ids()).toEqual(['common-voice-fa']);
    rerender(<ModelHubView models={models} query="کامن ویس 13" kind="all" />);
    expect(ids()).toEqual(['common-voice-fa']);
    rerender(<ModelHubView models={models} query="پارس برت" kind="all" />);
    expect(ids()).toEqual(['parsbert']);
    rerender(<ModelHubView models={models} query="persian bert" kind="all" />);
    expect(ids()).toEqual(['parsbert']);
  });

  it('leaves filtering to the host when filterLocally is false', () => {
    renderHub({ query: 'nothing matches this', filterLocally: false });
    expect(screen.getAllByRole('article')).toHaveLength(3);
  });

  it('passes card callbacks through', async () => {
    const user = userEvent.setup();
    const { handlers } = renderHub({ locale: 'en', kind: 'dataset' });
    await user.click(screen.getByRole('button', { name: /^Download / }));
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
    // Decorative: the status line says «loading»; an aria-label on a plain div is an axe violation.
    expect(screen.getByTestId('hub-skeleton').getAttribute('aria-hidden')).toBe('true');
    expect(screen.queryAllByRole('article')).toHaveLength(0);
    expect(screen.getByRole('status').textContent).toBe('در حال بارگذاری…');
  });

  it('shows a first-load error that blames the right party, with a retry button', async () => {
    const user = userEvent.setup();
    const { handlers, rerender } = renderHub({ models: [], error: { code: 'NETWORK', message: 'Could not reach /api/sources', status: 0, origin: 'network' }, locale: 'en' });
    const alert = screen.getByRole('alert');
    expect(alert.getAttribute('data-culprit')).toBe('network');
    expect(alert.textContent).toContain('The server cannot be reached');
    // Our own server failed: no advice about huggingface.co or HF_ENDPOINT.
    expect(alert.textContent).not.toMatch(/HF_ENDPOINT|huggingface\.co/);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(handlers.onRetry).toHaveBeenCalledTimes(1);

    rerender(<ModelHubView models={[]} query="" kind="all" error={{ code: 'FORBIDDEN', message: 'HTTP 403', status: 403, origin: 'intermediary' }} />);
    expect(screen.getByRole('alert').textContent).toContain('چیزی میان شما و سرور (فیلتر، پروکسی یا دروازهٔ شبکه)');
    expect(screen.getByRole('alert').textContent).toContain('(کد ۴۰۳)');
    rerender(<ModelHubView models={[]} query="" kind="all" locale="en" error={{ code: 'BLOCKED', message: 'blocked', status: 502, origin: 'server' }} />);
    expect(screen.getByRole('alert').textContent).toContain('The server cannot reach Hugging Face');
  });

  it('keeps every card when a refresh fails, with a thin notice and a countdown', () => {
    renderHub({
      locale: 'en',
      refreshError: { code: 'INTERNAL', message: 'HTTP 500', status: 500, origin: 'server' },
      retryAt: Date.now() + 8_000,
    });
    expect(screen.getAllByRole('article')).toHaveLength(3);
    expect(screen.queryByRole('alert')).toBeNull();
    const notice = screen.getByTestId('connection-notice');
    expect(notice.textContent).toContain('The list could not be refreshed; what you see may be out of date. The server could not send the list.');
    expect(notice.textContent).toMatch(/Trying again in [78] s\./);
    expect(within(notice).getByRole('button', { name: 'Try now' })).toBeTruthy();
  });

  it('says so while live updates reconnect', () => {
    renderHub({ liveStatus: 'reconnecting' });
    expect(screen.getByTestId('connection-notice').textContent).toContain('اتصال به سرور قطع شد');
    expect(screen.getAllByRole('article')).toHaveLength(3);
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
    expect(screen.getByText('جای خالی روی سرور کافی نیست')).toBeTruthy();
    // Each id is shown once, however often the list is passed again.
    expect(screen.getAllByText('دانلود «صدای امیر (Piper)» شروع شد')).toHaveLength(1);
  });

  it('closes a toast with its close button', async () => {
    const user = userEvent.setup();
    renderHub({ locale: 'en', notifications: [started] });
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByText('Started downloading “Amir voice (Piper)”')).toBeNull());
  });

  it('hands notifications to onNotify instead of toasting', () => {
    const onNotify = vi.fn();
    const { rerender } = renderHub({ locale: 'en', notifications: [failed], onNotify });
    expect(onNotify).toHaveBeenCalledWith(failed, {
      title: 'Download of “Amir voice (Piper)” failed',
      description: 'Not enough space on the server',
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
