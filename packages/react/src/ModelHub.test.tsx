// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
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

function renderHub(locale: 'fa' | 'en' = 'fa', allowBundleImport = false) {
  return renderInTheme(
    <PersianHubProvider baseUrl={server.baseUrl} EventSource={EventSource} pollIntervalMs={20} streamRetryMs={20}>
      <ModelHub locale={locale} toastDuration={60_000} allowBundleImport={allowBundleImport} />
    </PersianHubProvider>,
  );
}

/** Picks a file in the hidden input, as the browser's file dialog would. Node's File: fetch here is Node's. */
function pickBundle(text: string) {
  const input = screen.getByTestId('import-bundle-input') as HTMLInputElement;
  Object.defineProperty(input, 'files', { configurable: true, value: [new NodeFile([text], 'amir.tar', { type: 'application/x-tar' })] });
  fireEvent.change(input);
}

const cardOf = (id: string) => document.querySelector<HTMLElement>(`article[data-model-id="${id}"]`)!;

describe('ModelHub (the container: view + store + live events)', () => {
  it('shows the HF_ENDPOINT line to copy when the server says it is a Hub mirror, and nothing when it is not', async () => {
    renderHub('en');
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(3));
    await server.until(() => server.count('GET /mirror') === 1);
    expect(screen.queryByTestId('hub-mirror-endpoint')).toBeNull();
    const mirrored = await createContractServer({ mirrorPath: '/hub' });
    try {
      renderInTheme(
        <PersianHubProvider baseUrl={mirrored.baseUrl} EventSource={EventSource} pollIntervalMs={20} streamRetryMs={20}>
          <ModelHub locale="en" />
        </PersianHubProvider>,
      );
      const line = await screen.findByTestId('hub-mirror-endpoint');
      expect(line.textContent).toBe(`HF_ENDPOINT=${new URL(mirrored.baseUrl).origin}/hub`);
      expect(screen.getAllByTestId('hub-mirror-endpoint')).toHaveLength(1);
    } finally {
      cleanup();
      await mirrored.close();
    }
  });

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

  it('after Remove the card offers Download again, though the finished job is still in the list', async () => {
    const job = server.seedJob({ id: 'job-done', catalogId: 'piper-fa-amir', repoId: 'rhasspy/piper-voices', status: 'downloading' });
    server.complete(job.id);
    renderHub('en');
    await waitFor(() => expect(within(cardOf('piper-fa-amir')).getByText('Installed')).toBeTruthy());
    fireEvent.click(within(cardOf('piper-fa-amir')).getByRole('button', { name: 'Remove' }));
    await server.until(() => server.count('DELETE /installed/:id') === 1);
    await waitFor(() => expect(within(cardOf('piper-fa-amir')).getByRole('button', { name: 'Download' })).toBeTruthy());
    expect(within(cardOf('piper-fa-amir')).queryByText('Installed')).toBeNull();
    expect(server.jobs.get('job-done')!.status).toBe('completed');
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

  it('shows no bundle button unless the host allows it', async () => {
    renderHub('en');
    await waitFor(() => expect(document.querySelectorAll('article[data-model-id]').length).toBe(3));
    expect(screen.queryByRole('button', { name: 'Install from offline bundle…' })).toBeNull();
  });
});
