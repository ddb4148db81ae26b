// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { File as NodeFile } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventSourceConstructorLike } from '@persian-hub/client';
import { createContractServer, type ContractServer } from '../../client/test/support/createContractServer.js';
import { NodeEventSource } from '../../client/test/support/NodeEventSource.js';
import { renderInTheme } from './components/testing.js';
import { ModelHub } from './ModelHub.js';
import { PersianHubProvider } from './PersianHubProvider.js';

const EventSource = NodeEventSource as unknown as EventSourceConstructorLike;
let server: ContractServer;

beforeEach(async () => {
  server = await createContractServer();
});
afterEach(async () => {
  await server.close();
});

function renderHub(locale: 'fa' | 'en' = 'fa', allowBundleImport: boolean | 'server' = false) {
  return renderInTheme(
    <PersianHubProvider baseUrl={server.baseUrl} EventSource={EventSource} pollIntervalMs={20} streamRetryMs={20} refreshRetryMs={20}>
      <ModelHub locale={locale} toastDuration={60_000} allowBundleImport={allowBundleImport === 'server' ? undefined : allowBundleImport} />
    </PersianHubProvider>,
  );
}

/** The button of a card, by its visible label (its accessible name also says whose it is). */
const action = (card: HTMLElement, label: string) => within(card).getByRole('button', { name: new RegExp(`^${label} `) });
const confirm = (label: string) => fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: label }));

/** Picks a file in the hidden input, as the browser's file dialog would. Node's File: fetch here is Node's. */
function pickBundle(text: string) {
  const input = screen.getByTestId('import-bundle-input') as HTMLInputElement;
  Object.defineProperty(input, 'files', { configurable: true, value: [new NodeFile([text], 'amir.tar', { type: 'application/x-tar' })] });
  fireEvent.change(input);
}

const cardOf = (id: string) => document.querySelector<HTMLElement>(`article[data-model-id="${id}"]`)!;

describe('ModelHub (the container: view + store + live events)', () => {
  it('lists the server catalog, starts a download, follows its progress over SSE, and shows «نصب شده»', async () => {
    renderHub('fa');
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(3));
    const card = cardOf('piper-fa-amir');
    fireEvent.click(action(card, 'دانلود'));
    await server.until(() => server.count('POST /download') === 1);
    const [job] = [...server.jobs.values()];
    expect(job!.catalogId).toBe('piper-fa-amir');

    act(() => void server.update(job!.id, { status: 'downloading', bytesDownloaded: 50, bytesTotal: 200, progress: 25, speed: 10 }, 'progress'));
    await waitFor(() => expect(within(cardOf('piper-fa-amir')).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25'));
    // The toast for "started" is shown once.
    await waitFor(() => expect(screen.getAllByText(/شروع شد/).length).toBe(1));

    act(() => void server.complete(job!.id));
    await waitFor(() => expect(within(cardOf('piper-fa-amir')).getByText('نصب شده')).toBeTruthy());
    expect(within(cardOf('piper-fa-amir')).queryByRole('progressbar')).toBeNull();
  });

  it('after Remove the card offers Download again, though the finished job is still in the list', async () => {
    const job = server.seedJob({ id: 'job-done', catalogId: 'piper-fa-amir', repoId: 'rhasspy/piper-voices', status: 'downloading' });
    server.complete(job.id);
    renderHub('en');
    await waitFor(() => expect(within(cardOf('piper-fa-amir')).getByText('Installed')).toBeTruthy());
    fireEvent.click(action(cardOf('piper-fa-amir'), 'Remove'));
    expect(server.count('DELETE /installed/:id')).toBe(0);
    confirm('Remove');
    await server.until(() => server.count('DELETE /installed/:id') === 1);
    await waitFor(() => expect(action(cardOf('piper-fa-amir'), 'Download')).toBeTruthy(), { timeout: 10_000 });
    expect(within(cardOf('piper-fa-amir')).queryByText('Installed')).toBeNull();
    expect(server.jobs.get('job-done')!.status).toBe('completed');
  });

  it('pause and cancel reach the server for the card’s job; search filters at once', async () => {
    const job = server.seedJob({ id: 'job-seeded', catalogId: 'whisper-fa', repoId: 'openai/whisper-small', status: 'downloading', bytesDownloaded: 10, bytesTotal: 100, progress: 10 });
    renderHub('en');
    await waitFor(() => expect(within(cardOf('whisper-fa')).getByRole('progressbar')).toBeTruthy());
    fireEvent.click(action(cardOf('whisper-fa'), 'Pause'));
    await server.until(() => server.count('POST /download/:jobId/pause') === 1);
    await waitFor(() => expect(action(cardOf('whisper-fa'), 'Resume')).toBeTruthy());
    fireEvent.click(action(cardOf('whisper-fa'), 'Cancel'));
    confirm('Cancel and delete');
    await server.until(() => server.count('DELETE /download/:jobId') === 1);
    expect(server.jobs.get(job.id)!.status).toBe('cancelled');

    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'ويسپر' } }); // Arabic yeh
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(1));
    expect(cardOf('whisper-fa')).toBeTruthy();
  });

  it('installs from an offline bundle the user picks: upload, «نصب شد» toast, the card installed; a bad bundle says which file', async () => {
    renderHub('fa', true);
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(3));
    expect(screen.getByRole('button', { name: 'نصب از بستهٔ آفلاین…' })).toBeTruthy();

    pickBundle('piper-fa-amir');
    await server.until(() => server.count('POST /bundles/upload') === 1);
    await waitFor(() => expect(within(cardOf('piper-fa-amir')).getByText('نصب شده')).toBeTruthy());
    await waitFor(() => expect(screen.getAllByText(/از بستهٔ آفلاین نصب شد/).length).toBe(1));
    expect(screen.queryByTestId('import-bundle-error')).toBeNull();

    pickBundle('corrupt');
    const alert = await screen.findByTestId('import-bundle-error');
    expect(alert.textContent).toContain('بسته نصب نشد');
    expect(alert.textContent).toContain('voice.onnx');
  });

  it('shows no bundle button unless the host allows it, or the server says it takes uploads', async () => {
    const first = renderHub('en');
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(3));
    expect(screen.queryByRole('button', { name: 'Install from offline bundle…' })).toBeNull();
    first.unmount();

    server.capabilities = { hubToken: false, bundleUpload: true };
    renderHub('en', 'server');
    expect(await screen.findByRole('button', { name: 'Install from offline bundle…' })).toBeTruthy();
  });

  it('keeps every card and the running download on screen when a refresh fails, and comes back by itself', async () => {
    server.seedJob({ id: 'running', catalogId: 'whisper-fa', repoId: 'openai/whisper-small', status: 'downloading', bytesDownloaded: 40, bytesTotal: 100, progress: 40 });
    const other = server.seedJob({ id: 'other', catalogId: 'parsbert', repoId: 'HooshvareLab/bert-fa-base-uncased', status: 'downloading', bytesTotal: 100 });
    renderHub('fa');
    await waitFor(() => expect(within(cardOf('whisper-fa')).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('40'));
    const shown = () => [...document.querySelectorAll('article[data-model-id]')].map((a) => a.getAttribute('data-model-id'));
    const before = shown();
    expect(before).toHaveLength(3);
    await server.until(() => server.openStreams() === 1);

    // A download completes, so the list is fetched again, and that fetch fails: our server errs, then a filter answers.
    server.failNext('GET /models/available', { status: 500, code: 'INTERNAL' });
    server.failNext('GET /models/available', { status: 403, html: true });
    const before_ = server.count('GET /models/available');
    // The store's own retry (the second fetch from here) waits until the page was looked at.
    const release = server.hold('GET /models/available', { skip: 1 });
    act(() => void server.complete(other.id));
    await server.until(() => server.count('GET /models/available') === before_ + 2);
    const notice = await screen.findByTestId('connection-notice');
    expect(notice.textContent).toContain('فهرست تازه نشد');
    expect(screen.queryByTestId('hub-error')).toBeNull();
    expect(shown()).toEqual(before);
    expect(within(cardOf('whisper-fa')).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('40');
    // Never the Hub's fault, never HF_ENDPOINT: our server (then a filter) failed.
    expect(document.body.textContent).not.toMatch(/HF_ENDPOINT|فهرست بارگذاری نشد/);

    // Nobody clicks anything: the page heals and shows the install.
    release();
    await waitFor(() => expect(screen.queryByTestId('connection-notice')).toBeNull());
    await waitFor(() => expect(within(cardOf('parsbert')).getByText('نصب شده')).toBeTruthy());
    expect(shown()).toEqual(before);
    expect(server.count('GET /models/available')).toBe(before_ + 3);
  });

  it('keeps the downloads in reach whatever the search shows: a count, a panel, the files on demand', async () => {
    const file = (path: string, bytesDownloaded: number) => ({ path, size: 100, bytesDownloaded, status: 'downloading' as const, lfs: false });
    const job = server.seedJob({ id: 'j1', catalogId: 'whisper-fa', repoId: 'openai/whisper-small', status: 'downloading', bytesDownloaded: 40, bytesTotal: 200, progress: 20, files: [], fileDetail: 'none', fileCount: 2 });
    renderHub('en');
    await server.until(() => server.openStreams() === 1);
    const open = await screen.findByRole('button', { name: /^Downloads/ });
    expect(open.textContent).toContain('1');
    // The search hides the download's card, the panel still has it.
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'piper' } });
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(1));
    server.jobs.set(job.id, { ...server.jobs.get(job.id)!, files: [file('a.bin', 40), file('b.bin', 0)], fileDetail: 'all' });
    fireEvent.click(open);
    const panel = await screen.findByTestId('downloads-panel');
    const row = within(panel).getByRole('article', { name: 'Whisper small' });
    fireEvent.click(within(row).getByRole('button', { name: /^Files \(2\)/ }));
    await server.until(() => server.count('GET /download/:jobId/status') === 1);
    expect(await within(row).findByText('b.bin')).toBeTruthy();
    expect(document.title).toMatch(/^\(20%\)/);
  });
});
