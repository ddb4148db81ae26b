// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventSourceConstructorLike } from './client/types.js';
import { createContractServer, type ContractServer } from './client/testing/createContractServer.js';
import { NodeEventSource } from './client/testing/NodeEventSource.js';
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

function renderHub(locale: 'fa' | 'en' = 'fa') {
  return renderInTheme(
    <PersianHubProvider baseUrl={server.baseUrl} EventSource={EventSource} pollIntervalMs={20} streamRetryMs={20}>
      <ModelHub locale={locale} toastDuration={60_000} />
    </PersianHubProvider>,
  );
}

const cardOf = (id: string) => document.querySelector<HTMLElement>(`article[data-model-id="${id}"]`)!;

describe('ModelHub (the container: view + store + live events)', () => {
  it('lists the server catalog, starts a download, follows its progress over SSE, and shows «نصب شده»', async () => {
    renderHub('fa');
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(3));
    const card = cardOf('piper-fa-amir');
    fireEvent.click(within(card).getByRole('button', { name: 'دانلود' }));
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

  it('pause and cancel reach the server for the card’s job; search filters at once', async () => {
    const job = server.seedJob({ id: 'job-seeded', catalogId: 'whisper-fa', repoId: 'openai/whisper-small', status: 'downloading', bytesDownloaded: 10, bytesTotal: 100, progress: 10 });
    renderHub('en');
    await waitFor(() => expect(within(cardOf('whisper-fa')).getByRole('progressbar')).toBeTruthy());
    fireEvent.click(within(cardOf('whisper-fa')).getByRole('button', { name: 'Pause' }));
    await server.until(() => server.count('POST /download/:jobId/pause') === 1);
    await waitFor(() => expect(within(cardOf('whisper-fa')).getByRole('button', { name: 'Resume' })).toBeTruthy());
    fireEvent.click(within(cardOf('whisper-fa')).getByRole('button', { name: 'Cancel' }));
    await server.until(() => server.count('DELETE /download/:jobId') === 1);
    expect(server.jobs.get(job.id)!.status).toBe('cancelled');

    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'ويسپر' } }); // Arabic yeh
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(1));
    expect(cardOf('whisper-fa')).toBeTruthy();
  });
});
