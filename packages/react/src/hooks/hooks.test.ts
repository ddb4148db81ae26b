// @vitest-environment jsdom
// Plain createElement rather than JSX, so this runs under any vitest/tsconfig JSX setting.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, createElement as h, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPersianHubClient, type CatalogKind, type EventSourceConstructorLike } from '@persian-hub/client';
import { createContractServer, type ContractServer } from '../../../client/test/support/createContractServer.js';
import { NodeEventSource } from '../../../client/test/support/NodeEventSource.js';
import { PersianHubProvider } from '../PersianHubProvider.js';
import { createPersianHubStore } from '../store/createPersianHubStore.js';
import type { PersianHubNotification } from '../store/types.js';
import { useAvailableModels } from './useAvailableModels.js';
import { useDownloads } from './useDownloads.js';
import { useJob } from './useJob.js';
import { usePersianHubNotifications } from './usePersianHubNotifications.js';
import { usePersianHubStore } from './usePersianHubStore.js';

const EventSource = NodeEventSource as unknown as EventSourceConstructorLike;

let server: ContractServer;

beforeEach(async () => {
  server = await createContractServer();
});

afterEach(async () => {
  cleanup();
  await server.close();
});

function Hub({ children }: { children?: ReactNode }) {
  return h(PersianHubProvider, { baseUrl: server.baseUrl, EventSource, pollIntervalMs: 20, streamRetryMs: 20 }, children);
}

function Downloads() {
  const { jobs, pause, resume, pending, connection } = useDownloads();
  return h(
    'div',
    null,
    h('p', null, `connection: ${connection}`),
    h(
      'ul',
      null,
      jobs.map((job) =>
        h(
          'li',
          { key: job.id },
          `${job.id} ${job.status} ${job.progress}%${pending[job.id] ? ` (${pending[job.id]}…)` : ''}`,
          h('button', { onClick: () => void pause(job.id).catch(() => {}) }, `pause ${job.id}`),
          h('button', { onClick: () => void resume(job.id).catch(() => {}) }, `resume ${job.id}`),
        ),
      ),
    ),
  );
}

function Models({ kind, query }: { kind?: CatalogKind; query?: string }) {
  const { models, loading, error } = useAvailableModels({ kind, query });
  const { start } = useDownloads();
  if (loading) return h('p', null, 'loading');
  if (error) return h('p', null, `error ${error.message}`);
  return h(
    'ul',
    null,
    models.map((m) =>
      h(
        'li',
        { key: m.id },
        `${m.id} ${m.installed ? 'installed' : 'not installed'} ${m.job ? `${m.job.status} ${m.job.progress}%` : 'idle'}`,
        h('button', { onClick: () => void start(m.id) }, `download ${m.id}`),
      ),
    ),
  );
}

function Job({ id }: { id: string }) {
  const job = useJob(id);
  return h('p', null, job ? `job ${job.id} ${job.status} ${job.progress}%` : `job ${id} unknown`);
}

describe('useDownloads', () => {
  it('renders the jobs and re-renders on live events', async () => {
    server.seedJob({ id: 'a', status: 'downloading', progress: 5 });
    render(h(Hub, null, h(Downloads)));
    expect(await screen.findByText('a downloading 5%')).toBeTruthy();
    await screen.findByText('connection: open');

    server.update('a', { progress: 40 }, 'progress');
    expect(await screen.findByText('a downloading 40%')).toBeTruthy();
    server.seedJob({ id: 'b' });
    server.update('b', { status: 'downloading' }, 'started');
    await screen.findByText('b downloading 0%');
    expect(screen.getAllByRole('listitem').map((li) => li.firstChild?.textContent)).toEqual([
      'b downloading 0%',
      'a downloading 40%',
    ]);
  });

  it('calls the server from its actions and shows them pending meanwhile', async () => {
    server.seedJob({ id: 'a', status: 'downloading', progress: 5 });
    render(h(Hub, null, h(Downloads)));
    await screen.findByText('a downloading 5%');

    const release = server.hold('POST /download/:jobId/pause');
    fireEvent.click(screen.getByText('pause a'));
    expect(await screen.findByText('a downloading 5% (pause…)')).toBeTruthy();
    release();
    expect(await screen.findByText('a paused 5%')).toBeTruthy();
    expect(server.count('POST /download/:jobId/pause')).toBe(1);

    fireEvent.click(screen.getByText('resume a'));
    expect(await screen.findByText('a downloading 5%')).toBeTruthy();
    expect(server.count('POST /download/:jobId/resume')).toBe(1);
  });
});

describe('useAvailableModels', () => {
  it('renders the catalog with install status and the live job of each entry', async () => {
    const { jobId } = await createPersianHubClient({ baseUrl: server.baseUrl }).start('parsbert');
    server.complete(jobId);
    render(h(Hub, null, h(Models)));
    expect(screen.getByText('loading')).toBeTruthy();
    expect(await screen.findByText('parsbert installed completed 100%')).toBeTruthy();
    expect(screen.getByText('whisper-fa not installed idle')).toBeTruthy();

    fireEvent.click(screen.getByText('download whisper-fa'));
    expect(await screen.findByText('whisper-fa not installed queued 0%')).toBeTruthy();
    const started = [...server.jobs.values()].find((j) => j.catalogId === 'whisper-fa')!;
    server.update(started.id, { status: 'downloading', progress: 33.3 }, 'progress');
    expect(await screen.findByText('whisper-fa not installed downloading 33.3%')).toBeTruthy();
    server.complete(started.id);
    expect(await screen.findByText('whisper-fa installed completed 100%')).toBeTruthy();
  });

  it('filters by kind and query at once, without waiting for the server', async () => {
    const view = render(h(Hub, null, h(Models, { query: '' })));
    await screen.findByText(/^piper-fa-amir/);
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    const fetches = server.count('GET /models/available');

    view.rerender(h(Hub, null, h(Models, { query: 'whisper' })));
    expect(screen.getAllByRole('listitem').map((li) => li.firstChild?.textContent)).toEqual([
      'whisper-fa not installed idle',
    ]);
    view.rerender(h(Hub, null, h(Models, { query: 'امير' }))); // Arabic yeh still finds «امیر»
    expect(screen.getAllByRole('listitem').map((li) => li.firstChild?.textContent)).toEqual([
      'piper-fa-amir not installed idle',
    ]);
    view.rerender(h(Hub, null, h(Models, { kind: 'embedding' })));
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    view.rerender(h(Hub, null, h(Models, {})));
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    expect(server.count('GET /models/available')).toBe(fetches);
  });

  it('finds entries the way people type: kind labels, words in any order, either script (the one search of @persian-hub/client)', async () => {
    const view = render(h(Hub, null, h(Models, { query: '' })));
    await screen.findByText(/^piper-fa-amir/);
    const shown = () => screen.queryAllByRole('listitem').map((li) => li.firstChild?.textContent?.split(' ')[0]);
    for (const [query, expected] of [
      ['تشخیص گفتار', ['whisper-fa']], // the kind filter's own label
      ['speech recognition', ['whisper-fa']],
      ['small whisper', ['whisper-fa']], // words in any order
      ['ویسپر', ['whisper-fa']],
      ['پارس برت', ['parsbert']], // a space where the name has a ZWNJ
      ['whisper llama', []],
    ] as const) {
      view.rerender(h(Hub, null, h(Models, { query })));
      expect(shown(), query).toEqual(expected);
    }
  });

  it('shows the error when the catalog cannot be fetched', async () => {
    render(h(PersianHubProvider, { baseUrl: `${server.url}/elsewhere`, EventSource: null, autoConnect: false }, h(Models)));
    expect(await screen.findByText(/^error /)).toBeTruthy();
  });
});

describe('useJob', () => {
  it('follows one job', async () => {
    server.seedJob({ id: 'a', status: 'queued' });
    render(h(Hub, null, h(Job, { id: 'a' }), h(Job, { id: 'zzz' })));
    await screen.findByText('job a queued 0%');
    expect(screen.getByText('job zzz unknown')).toBeTruthy();
    server.update('a', { status: 'downloading', progress: 12.5 }, 'progress');
    expect(await screen.findByText('job a downloading 12.5%')).toBeTruthy();
  });
});

describe('PersianHubProvider', () => {
  it('closes the event stream on unmount', async () => {
    const view = render(h(Hub, null, h(Downloads)));
    await screen.findByText('connection: open');
    expect(server.openStreams()).toBe(1);
    view.unmount();
    await server.until(() => server.closedStreams() === 1);
    expect(server.openStreams()).toBe(0);
  });

  it('opens a single event stream under StrictMode', async () => {
    render(h(StrictMode, null, h(Hub, null, h(Downloads))));
    await screen.findByText('connection: open');
    expect(server.count('GET /events')).toBe(1);
    expect(server.openStreams()).toBe(1);
  });

  it('uses a given store, shared by two providers, with one stream', async () => {
    const store = createPersianHubStore({ baseUrl: server.baseUrl, EventSource });
    function Same() {
      return h('p', null, usePersianHubStore() === store ? 'same store' : 'other store');
    }
    const first = render(h(PersianHubProvider, { store }, h(Same)));
    render(h(PersianHubProvider, { store }, h(Downloads)));
    await screen.findByText('connection: open');
    expect(screen.getByText('same store')).toBeTruthy();
    expect(server.count('GET /events')).toBe(1);
    first.unmount();
    await act(() => Promise.resolve());
    expect(store.getSnapshot().connection).toBe('open');
  });

  it('builds its store on a given client', async () => {
    const client = createPersianHubClient({ baseUrl: server.baseUrl, EventSource: null, pollIntervalMs: 20 });
    server.seedJob({ id: 'polled', status: 'downloading' });
    render(h(PersianHubProvider, { client }, h(Downloads)));
    expect(await screen.findByText('polled downloading 0%')).toBeTruthy();
    expect(screen.getByText('connection: polling')).toBeTruthy();
  });

  it('makes hooks fail loudly outside a provider', () => {
    function Orphan() {
      useDownloads();
      return null;
    }
    const onError = (e: ErrorEvent) => e.preventDefault(); // keep jsdom from printing the expected error
    window.addEventListener('error', onError);
    try {
      expect(() => render(h(Orphan))).toThrow(/PersianHubProvider/);
    } finally {
      window.removeEventListener('error', onError);
    }
  });
});

describe('usePersianHubNotifications', () => {
  it('reports a started and a completed job', async () => {
    const seen: string[] = [];
    function Toasts() {
      usePersianHubNotifications((n: PersianHubNotification) => seen.push(`${n.type} ${n.job.catalogId}`));
      return null;
    }
    render(h(Hub, null, h(Toasts), h(Models)));
    await screen.findByText(/^piper-fa-amir/);
    await waitFor(() => expect(server.openStreams()).toBe(1));
    fireEvent.click(screen.getByText('download piper-fa-amir'));
    await waitFor(() => expect(seen).toEqual(['started piper-fa-amir']));
    const job = [...server.jobs.values()][0]!;
    server.complete(job.id);
    await waitFor(() => expect(seen).toEqual(['started piper-fa-amir', 'completed piper-fa-amir']));
  });
});
