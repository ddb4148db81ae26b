import { Blob as NodeBlob } from 'node:buffer';
// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPersianHubClient, type PersianHubClient } from './createPersianHubClient.js';
import { isPersianHubClientError, PersianHubClientError } from './PersianHubClientError.js';
import type { ConnectionStatus, EventSourceConstructorLike, PersianHubLiveEvent } from './types.js';
import { createContractServer, type ContractServer } from '../../test/support/createContractServer.js';
import { NodeEventSource } from '../../test/support/NodeEventSource.js';

const EventSource = NodeEventSource as unknown as EventSourceConstructorLike;

let server: ContractServer;
let client: PersianHubClient;
const cleanups: (() => void)[] = [];

beforeEach(async () => {
  server = await createContractServer();
  client = createPersianHubClient({ baseUrl: server.baseUrl, fetch: globalThis.fetch, EventSource, pollIntervalMs: 25, streamRetryMs: 25 });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await server.close();
});

function listen(c: PersianHubClient = client) {
  const events: PersianHubLiveEvent[] = [];
  const statuses: ConnectionStatus[] = [];
  const stop = c.subscribe(
    (e) => events.push(e),
    (s) => statuses.push(s),
  );
  cleanups.push(stop);
  return { events, statuses, stop, status: () => statuses.at(-1) };
}

function caught(promise: Promise<unknown>): Promise<PersianHubClientError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as PersianHubClientError,
  );
}

describe('REST methods', () => {
  it('lists the catalog with kind and query filters', async () => {
    expect(await client.listAvailable()).toHaveLength(3);
    const tts = await client.listAvailable({ kind: 'tts', query: 'amir' });
    expect(tts.map((m) => m.id)).toEqual(['piper-fa-amir']);
    expect(server.requests.at(-1)?.path).toBe('/api/sources/models/available?kind=tts&q=amir');
  });

  it('starts a catalog entry and an arbitrary repo, sending JSON', async () => {
    const byId = await client.start('piper-fa-amir');
    expect(byId.jobId).toBe(byId.job.id);
    expect(byId.job).toMatchObject({ catalogId: 'piper-fa-amir', status: 'queued' });
    const byRepo = await client.start({ id: 'org/other', repoType: 'dataset', revision: 'v1', include: ['*.json'] });
    expect(byRepo.job).toMatchObject({ repoId: 'org/other', repoType: 'dataset', revision: 'v1', include: ['*.json'] });
    const posted = server.requests.filter((r) => r.method === 'POST');
    expect(posted.map((r) => r.headers['content-type'])).toEqual(['application/json', 'application/json']);
    expect(JSON.parse(posted[0]!.body)).toEqual({ id: 'piper-fa-amir' });
  });

  it('reads, pauses, resumes and cancels jobs', async () => {
    const { jobId } = await client.start('whisper-fa');
    expect((await client.status(jobId)).id).toBe(jobId);
    expect((await client.listJobs()).map((j) => j.id)).toEqual([jobId]);
    expect((await client.pause(jobId)).status).toBe('paused');
    expect((await client.resume(jobId)).status).toBe('downloading');
    expect((await client.cancel(jobId)).status).toBe('cancelled');
    const mutations = server.requests.filter((r) => r.method !== 'GET');
    expect(mutations.every((r) => r.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('lists and removes installed snapshots, URL-encoding ids with a slash', async () => {
    const { jobId } = await client.start({ id: 'org/name' });
    server.complete(jobId);
    expect((await client.installed()).map((i) => i.repoId)).toEqual(['org/name']);
    const { removed } = await client.removeInstalled('org/name');
    expect(removed.map((i) => i.repoId)).toEqual(['org/name']);
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/sources/installed/org%2Fname' });
  });

  it('uploads a bundle as an application/x-tar body and returns the finished import job', async () => {
    // Node's Blob: fetch here is Node's (undici), which reads the body through blob.stream().
    const result = await client.uploadBundle(new NodeBlob(['piper-fa-amir']) as unknown as Blob);
    expect(result).toMatchObject({ alreadyInstalled: false, job: { status: 'completed', backend: 'bundle', catalogId: 'piper-fa-amir' } });
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/sources/bundles/upload', body: 'piper-fa-amir' });
    expect(server.requests.at(-1)!.headers['content-type']).toBe('application/x-tar');
    await client.uploadBundle(new NodeBlob(['piper-fa-amir']) as unknown as Blob, { updateRefs: true });
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/sources/bundles/upload?updateRefs=1' });
    const refused = await caught(client.uploadBundle(new NodeBlob(['corrupt']) as unknown as Blob));
    expect(refused).toMatchObject({ code: 'BUNDLE_INVALID', status: 422, details: { file: 'voice.onnx' } });
  });

  it('throws the server error code, message, details and status on a non-2xx answer', async () => {
    const missing = await caught(client.status('nope'));
    expect(isPersianHubClientError(missing)).toBe(true);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'no job nope', details: { jobId: 'nope' } });

    const { jobId } = await client.start('parsbert');
    const conflict = await caught(client.resume(jobId));
    expect(conflict).toMatchObject({ code: 'CONFLICT', status: 409, details: { status: 'queued' } });
  });

  it('sends the admin token and extra headers with every REST request', async () => {
    let token = 'first-token';
    const admin = createPersianHubClient({ baseUrl: server.baseUrl, token: () => token, headers: { 'X-Host-Csrf': 'abc', Authorization: 'overridden' } });
    await admin.start('whisper-fa');
    token = 'second-token';
    await admin.listJobs();
    const [post, get] = server.requests.slice(-2);
    expect(post!.headers).toMatchObject({ authorization: 'Bearer first-token', 'x-host-csrf': 'abc', 'content-type': 'application/json' });
    expect(get!.headers).toMatchObject({ authorization: 'Bearer second-token', 'x-host-csrf': 'abc' });
    await createPersianHubClient({ baseUrl: server.baseUrl }).listJobs();
    expect(server.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('reports an unreachable server as NETWORK with status 0', async () => {
    const offline = createPersianHubClient({ baseUrl: 'http://127.0.0.1:1/api/sources', fetch: globalThis.fetch });
    await expect(offline.listJobs()).rejects.toMatchObject({ code: 'NETWORK', status: 0, origin: 'network' });
  });

  it('tells an answer of our server from a page a proxy or a filter sent instead', async () => {
    server.failNext('GET /models/available', { status: 502, code: 'NETWORK' });
    expect(await caught(client.listAvailable())).toMatchObject({ code: 'NETWORK', status: 502, origin: 'server' });
    server.failNext('GET /models/available', { status: 403, html: true });
    expect(await caught(client.listAvailable())).toMatchObject({ code: 'FORBIDDEN', status: 403, origin: 'intermediary' });
  });

  it('reads what the server can do', async () => {
    expect(await client.capabilities!()).toEqual({ hubToken: true, bundleUpload: false });
    server.capabilities = null;
    expect(await caught(client.capabilities!())).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });
});

describe('subscribe', () => {
  it('delivers the snapshot, then every job event as it happens', async () => {
    const seeded = server.seedJob({ id: 'seed', status: 'downloading' });
    const live = listen();
    expect(live.status()).toBe('connecting');
    await vi.waitFor(() => expect(live.events[0]).toMatchObject({ type: 'snapshot', source: 'sse', jobs: [seeded] }));
    expect(live.status()).toBe('open');

    server.update('seed', { progress: 50 }, 'progress');
    server.complete('seed');
    await vi.waitFor(() => expect(live.events.map((e) => e.type)).toEqual(['snapshot', 'progress', 'completed']));
    expect(live.events[1]).toMatchObject({ job: { progress: 50 }, eventId: '1' });
  });

  it('delivers removed events', async () => {
    const { jobId } = await client.start('piper-fa-amir');
    server.complete(jobId);
    const live = listen();
    await vi.waitFor(() => expect(live.status()).toBe('open'));
    await client.removeInstalled('piper-fa-amir');
    await vi.waitFor(() =>
      expect(live.events.at(-1)).toMatchObject({ type: 'removed', installed: { catalogId: 'piper-fa-amir' } }),
    );
  });

  it('reconnects after a drop and replays what it missed via Last-Event-ID', async () => {
    server.seedJob({ id: 'a', status: 'downloading' });
    const live = listen();
    await vi.waitFor(() => expect(live.status()).toBe('open'));
    server.update('a', { progress: 10 }, 'progress');
    await vi.waitFor(() => expect(live.events).toHaveLength(2));

    server.dropStreams();
    server.update('a', { progress: 20 }, 'progress');
    server.update('a', { progress: 30 }, 'progress');

    await vi.waitFor(() =>
      expect(live.events.slice(2).map((e) => ('job' in e ? e.job.progress : e.type))).toEqual([20, 30]),
    );
    const reconnect = server.requests.filter((r) => r.path.endsWith('/events')).at(-1);
    expect(reconnect?.headers['last-event-id']).toBe('1');
    expect(live.statuses).toEqual(['connecting', 'open', 'connecting', 'open']);
  });

  it.each([
    ['answers 404', 'not-found'],
    ['answers HTML instead of an event stream', 'html'],
  ] as const)('polls GET /downloads when the events route %s', async (_label, mode) => {
    server.eventsMode = mode;
    server.seedJob({ id: 'p', status: 'downloading', progress: 1 });
    const live = listen();
    await vi.waitFor(() => expect(live.status()).toBe('polling'));
    await vi.waitFor(() => expect(live.events.at(-1)).toMatchObject({ type: 'snapshot', source: 'poll', jobs: [{ progress: 1 }] }));

    server.update('p', { progress: 42 }, 'progress');
    await vi.waitFor(() => expect(live.events.at(-1)).toMatchObject({ type: 'snapshot', jobs: [{ progress: 42 }] }));
  });

  it('polls after three connection failures that never open the stream', async () => {
    const made: { closed: boolean; errors: number }[] = [];
    class FailingEventSource {
      readyState = 0;
      onopen = null;
      onerror: ((e: unknown) => void) | null = null;
      state = { closed: false, errors: 0 };
      constructor() {
        made.push(this.state);
        // What a browser does when it cannot connect: `error` with readyState CONNECTING, on each of its own retries.
        const fail = () => {
          if (this.state.closed) return;
          this.state.errors++;
          this.onerror?.({});
          queueMicrotask(fail);
        };
        queueMicrotask(fail);
      }
      addEventListener() {}
      close() {
        this.state.closed = true;
      }
    }
    const refused = createPersianHubClient({
      baseUrl: server.baseUrl,
      EventSource: FailingEventSource as unknown as EventSourceConstructorLike,
      pollIntervalMs: 25,
      streamRetryMs: 60_000,
    });
    const live = listen(refused);
    await vi.waitFor(() => expect(live.events[0]).toMatchObject({ type: 'snapshot', source: 'poll' }));
    expect(live.statuses).toEqual(['connecting', 'polling']);
    expect(made).toEqual([{ closed: true, errors: 3 }]);
  });

  it('polls when the stream opens but delivers nothing, and goes back to it once it does', async () => {
    server.eventsMode = 'silent';
    server.seedJob({ id: 's', status: 'downloading', progress: 3 });
    const quiet = createPersianHubClient({ baseUrl: server.baseUrl, EventSource, pollIntervalMs: 25, streamRetryMs: 25, firstEventTimeoutMs: 50 });
    const live = listen(quiet);
    await vi.waitFor(() => expect(live.events[0]).toMatchObject({ type: 'snapshot', source: 'poll', jobs: [{ progress: 3 }] }));
    expect(live.statuses).toEqual(['connecting', 'open', 'polling']);
    server.eventsMode = 'sse';
    await vi.waitFor(() => expect(live.events.at(-1)).toMatchObject({ type: 'snapshot', source: 'sse' }));
    expect(live.status()).toBe('open');
    const polls = server.count('GET /downloads');
    server.update('s', { progress: 9 }, 'progress');
    await vi.waitFor(() => expect(live.events.at(-1)).toMatchObject({ type: 'progress', job: { progress: 9 } }));
    expect(server.count('GET /downloads')).toBe(polls);
  });

  it('polls when every stream is cut after its headers, although each one opened', async () => {
    server.eventsMode = 'drop';
    server.seedJob({ id: 'd', status: 'downloading', progress: 4 });
    const live = listen(createPersianHubClient({ baseUrl: server.baseUrl, EventSource, pollIntervalMs: 25, streamRetryMs: 60_000 }));
    await vi.waitFor(() => expect(live.events[0]).toMatchObject({ type: 'snapshot', source: 'poll', jobs: [{ progress: 4 }] }));
    expect(live.status()).toBe('polling');
  });

  it('polls when there is no EventSource at all', async () => {
    const noSse = createPersianHubClient({ baseUrl: server.baseUrl, EventSource: null, pollIntervalMs: 25 });
    const live = listen(noSse);
    await vi.waitFor(() => expect(live.events[0]).toMatchObject({ type: 'snapshot', source: 'poll' }));
    expect(live.statuses).toEqual(['polling']);
  });

  it('switches back to the event stream once it is available again', async () => {
    server.eventsMode = 'not-found';
    server.seedJob({ id: 'b', status: 'downloading' });
    const live = listen();
    await vi.waitFor(() => expect(live.status()).toBe('polling'));

    server.eventsMode = 'sse';
    await vi.waitFor(() => expect(live.status()).toBe('open'));
    await vi.waitFor(() => expect(live.events.at(-1)).toMatchObject({ type: 'snapshot', source: 'sse' }));
    server.update('b', { progress: 77 }, 'progress');
    await vi.waitFor(() => expect(live.events.at(-1)).toMatchObject({ type: 'progress', job: { progress: 77 } }));
    expect(live.statuses).toEqual(['connecting', 'polling', 'open']);
  });

  it('closes the stream and clears every timer on unsubscribe', async () => {
    const live = listen();
    await vi.waitFor(() => expect(server.openStreams()).toBe(1));
    live.stop();
    await vi.waitFor(() => expect(server.closedStreams()).toBe(1));
    expect(live.status()).toBe('closed');
  });

  it('leaves no polling or retry timer behind on unsubscribe', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      server.eventsMode = 'not-found';
      // Long intervals: vi.waitFor advances fake timers by its own interval on every check.
      const slow = createPersianHubClient({ baseUrl: server.baseUrl, EventSource, pollIntervalMs: 60_000, streamRetryMs: 60_000 });
      const live = listen(slow);
      await vi.waitFor(() => expect(live.events[0]).toMatchObject({ type: 'snapshot', source: 'poll' }));
      // Now the client holds a poll tick and a stream retry (fetch may hold timers of its own,
      // hence the difference rather than zero).
      const before = vi.getTimerCount();
      live.stop();
      expect(before - vi.getTimerCount()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
