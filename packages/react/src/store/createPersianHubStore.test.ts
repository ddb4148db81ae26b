// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPersianHubClient, type EventSourceConstructorLike, type JobSnapshot } from '@persian-hub/client';
import { createContractServer, type ContractServer } from '../../../client/test/support/createContractServer.js';
import { NodeEventSource } from '../../../client/test/support/NodeEventSource.js';
import { createPersianHubStore } from './createPersianHubStore.js';
import type { PersianHubNotification, PersianHubState, PersianHubStore } from './types.js';

const EventSource = NodeEventSource as unknown as EventSourceConstructorLike;

let server: ContractServer;
const cleanups: (() => void)[] = [];

beforeEach(async () => {
  server = await createContractServer();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await server.close();
});

function makeStore(options: { EventSource?: EventSourceConstructorLike | null; firstEventTimeoutMs?: number } = {}) {
  return createPersianHubStore({
    baseUrl: server.baseUrl,
    EventSource: options.EventSource === undefined ? EventSource : options.EventSource,
    pollIntervalMs: 20,
    streamRetryMs: 20,
    refreshRetryMs: 20,
    ...(options.firstEventTimeoutMs !== undefined ? { firstEventTimeoutMs: options.firstEventTimeoutMs } : {}),
  });
}

function connect(store: PersianHubStore) {
  const release = store.connect();
  cleanups.push(release);
  return release;
}

/** Resolves on the first state (current or later) that passes; waits on store changes, never on time. */
function until(store: PersianHubStore, predicate: (s: PersianHubState) => unknown): Promise<PersianHubState> {
  return new Promise((resolve) => {
    const check = () => {
      const state = store.getSnapshot();
      if (predicate(state)) {
        unsubscribe();
        resolve(state);
      }
    };
    const unsubscribe = store.subscribe(check);
    check();
  });
}

/** Every value `pick` takes, in order, as the store changes. */
function record<T>(store: PersianHubStore, pick: (s: PersianHubState) => T): T[] {
  const seen: T[] = [];
  const push = () => {
    const value = pick(store.getSnapshot());
    if (seen.length === 0 || seen.at(-1) !== value) seen.push(value);
  };
  cleanups.push(store.subscribe(push));
  push();
  return seen;
}

describe('live events', () => {
  it('applies job events in the order the server sent them', async () => {
    server.seedJob({ id: 'a', status: 'downloading' });
    const store = makeStore();
    const progress = record(store, (s) => s.jobs.a?.progress);
    connect(store);
    await until(store, (s) => s.jobs.a);
    for (const p of [10, 20, 30]) server.update('a', { progress: p }, 'progress');
    await until(store, (s) => s.jobs.a?.progress === 30);
    expect(progress).toEqual([undefined, 0, 10, 20, 30]);
    expect(store.getSnapshot().lastEvent).toMatchObject({ type: 'progress', job: { progress: 30 } });
  });

  it('ignores an event older than what it already has for that job', async () => {
    const seeded = server.seedJob({ id: 'a', status: 'downloading' });
    const store = makeStore();
    const progress = record(store, (s) => s.jobs.a?.progress);
    connect(store);
    await until(store, (s) => s.jobs.a);
    server.update('a', { progress: 50 }, 'progress');
    server.emit('progress', { job: { ...seeded, progress: 5 } }); // late echo, older updatedAt
    server.update('a', { progress: 60 }, 'progress');
    await until(store, (s) => s.jobs.a?.progress === 60);
    expect(progress).toEqual([undefined, 0, 50, 60]);
  });

  it('merges the files an event carries into the files it already knows, path by path', async () => {
    const file = (path: string, bytesDownloaded: number, status: JobSnapshot['files'][number]['status'] = 'downloading') => ({ path, size: 100, bytesDownloaded, status, lfs: false, etag: 'a'.repeat(40) });
    server.seedJob({ id: 'a', status: 'downloading', files: [file('x', 0, 'pending'), file('y', 0, 'pending')], fileDetail: 'all' });
    const store = makeStore();
    connect(store);
    await until(store, (s) => s.jobs.a?.files.length === 2);
    server.update('a', { progress: 10, files: [file('y', 40)], fileDetail: 'changed' }, 'progress');
    let state = await until(store, (s) => s.jobs.a?.progress === 10);
    expect(state.jobs.a!.files.map((f) => [f.path, f.bytesDownloaded])).toEqual([['x', 0], ['y', 40]]);
    // A listing without files (a poll, a fresh snapshot) keeps them too.
    server.update('a', { progress: 20, files: [], fileDetail: 'none' }, 'progress');
    state = await until(store, (s) => s.jobs.a?.progress === 20);
    expect(state.jobs.a!.files.map((f) => f.path)).toEqual(['x', 'y']);
  });

  it('drops a job the server forgot', async () => {
    server.seedJob({ id: 'a', status: 'completed' });
    server.seedJob({ id: 'b', status: 'failed' });
    const store = makeStore();
    connect(store);
    await until(store, (s) => s.jobOrder.length === 2);
    server.emit('forgotten', { job: server.jobs.get('a') });
    const state = await until(store, (s) => !('a' in s.jobs));
    expect(state.jobOrder).toEqual(['b']);
  });

  it('replaces the job set with a snapshot', async () => {
    server.seedJob({ id: 'a' });
    server.seedJob({ id: 'b' });
    const store = makeStore();
    connect(store);
    await until(store, (s) => s.jobOrder.length === 2);
    server.jobs.delete('b');
    server.seedJob({ id: 'c' });
    server.dropStreams(); // no event id seen yet, so the reconnect gets a fresh snapshot
    const state = await until(store, (s) => 'c' in s.jobs);
    expect(Object.keys(state.jobs).sort()).toEqual(['a', 'c']);
    expect(state.jobOrder).toEqual(['c', 'a']);
  });

  it('reconnects after a drop and replays the missed events into the store', async () => {
    server.seedJob({ id: 'a', status: 'downloading' });
    const store = makeStore();
    const progress = record(store, (s) => s.jobs.a?.progress);
    const connection = record(store, (s) => s.connection);
    connect(store);
    await until(store, (s) => s.connection === 'open');
    server.update('a', { progress: 10 }, 'progress');
    await until(store, (s) => s.jobs.a?.progress === 10);
    server.dropStreams();
    server.update('a', { progress: 20 }, 'progress');
    server.update('a', { progress: 30 }, 'progress');
    await until(store, (s) => s.jobs.a?.progress === 30);
    expect(progress).toEqual([undefined, 0, 10, 20, 30]);
    expect(server.requests.filter((r) => r.path.endsWith('/events')).at(-1)?.headers['last-event-id']).toBe('1');
    expect(connection).toEqual(['closed', 'connecting', 'open', 'connecting', 'open']);
  });

  it('falls back to polling when the events route is missing, then goes back to SSE', async () => {
    server.eventsMode = 'not-found';
    server.seedJob({ id: 'a', status: 'downloading' });
    const store = makeStore();
    connect(store);
    await until(store, (s) => s.connection === 'polling' && s.jobs.a);
    server.update('a', { progress: 25 }, 'progress');
    await until(store, (s) => s.jobs.a?.progress === 25);
    expect(store.getSnapshot().lastEvent).toMatchObject({ type: 'snapshot', source: 'poll' });

    server.eventsMode = 'sse';
    await until(store, (s) => s.connection === 'open');
    server.update('a', { progress: 90 }, 'progress');
    const state = await until(store, (s) => s.jobs.a?.progress === 90);
    expect(state.lastEvent).toMatchObject({ type: 'progress' });
  });

  it('shows the jobs by polling when the event stream opens but never delivers a snapshot', async () => {
    server.eventsMode = 'silent';
    server.seedJob({ id: 'q', status: 'downloading', progress: 7 });
    const store = makeStore({ firstEventTimeoutMs: 40 });
    connect(store);
    const state = await until(store, (s) => s.connection === 'polling' && s.jobs.q?.progress === 7);
    expect(state.lastEvent).toMatchObject({ type: 'snapshot', source: 'poll' });
  });
});

describe('models', () => {
  it('joins each catalog entry with its newest live job', async () => {
    const store = makeStore();
    connect(store);
    await until(store, (s) => s.connection === 'open');
    await store.refreshModels();
    const before = store.getSnapshot().models!;
    expect(before.map((m) => [m.id, m.job])).toEqual([
      ['piper-fa-amir', null],
      ['whisper-fa', null],
      ['parsbert', null],
    ]);

    const job = await store.start('piper-fa-amir');
    server.update(job.id, { status: 'downloading', progress: 50 }, 'progress');
    const after = (await until(store, (s) => s.models?.[0]?.job?.progress === 50)).models!;
    expect(after[0]!.job!.id).toBe(job.id);
    expect(after[1]).toBe(before[1]); // untouched entries keep their reference
    expect(after[2]).toBe(before[2]);

    // A job started by hand for the same repo counts too, when it is newer.
    await store.cancel(job.id);
    const byHand = await store.start({ id: 'rhasspy/piper-voices' });
    expect((await until(store, (s) => s.models?.[0]?.job?.id === byHand.id)).models![0]!.job!.catalogId).toBeNull();
  });

  it('refreshes the catalog when a job completes, to pick up install status', async () => {
    const store = makeStore();
    connect(store);
    await until(store, (s) => s.connection === 'open');
    await store.refreshModels({ kind: 'asr' });
    const job = await store.start('whisper-fa');
    const fetches = server.count('GET /models/available');
    server.complete(job.id);
    const state = await until(store, (s) => s.models?.[0]?.installed !== null);
    expect(state.models![0]).toMatchObject({ id: 'whisper-fa', installed: { catalogId: 'whisper-fa' }, job: { status: 'completed' } });
    expect(server.count('GET /models/available')).toBe(fetches + 1);
    expect(server.requests.filter((r) => r.path.includes('/models/available')).at(-1)?.path).toContain('kind=asr');
  });

  it('reports a failed fetch in modelsError and keeps what it had', async () => {
    const store = createPersianHubStore({ baseUrl: `${server.url}/nowhere`, EventSource: null });
    const statuses = record(store, (s) => s.modelsStatus);
    await store.refreshModels();
    expect(statuses).toEqual(['idle', 'loading', 'error']);
    expect(store.getSnapshot().modelsError).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(store.getSnapshot().models).toBeNull();
  });
});

describe('a failed catalog fetch (stale-while-revalidate)', () => {
  it('keeps every shown entry and running job when a refresh fails, and tries again by itself', async () => {
    const store = makeStore();
    connect(store);
    await until(store, (s) => s.connection === 'open');
    await store.refreshModels();
    const shown = store.getSnapshot().models!;
    const job = await store.start('whisper-fa');
    server.update(job.id, { status: 'downloading', progress: 40 }, 'progress');
    await until(store, (s) => s.models?.[1]?.job?.progress === 40);

    // The refresh after a completion fails twice: our server answered with an error, then a filter's page.
    server.failNext('GET /models/available', { status: 500, code: 'INTERNAL' });
    server.failNext('GET /models/available', { status: 403, html: true });
    const before = server.count('GET /models/available');
    server.complete(job.id);
    const failed = await until(store, (s) => s.modelsError !== null);
    expect(failed.modelsStatus).toBe('success');
    expect(failed.models!.map((m) => m.id)).toEqual(shown.map((m) => m.id));
    expect(failed.catalog).toHaveLength(3);
    expect(failed.modelsRetryAt).toEqual(expect.any(Number));
    expect(failed.modelsError).toMatchObject({ code: 'INTERNAL', origin: 'server' });

    // No one presses anything: the store comes back by itself, with the install status.
    const healed = await until(store, (s) => s.modelsError === null && s.models?.[1]?.installed !== null);
    expect(server.count('GET /models/available')).toBe(before + 3);
    expect(healed.modelsRetryAt).toBeNull();
    expect(healed.models!.map((m) => m.id)).toEqual(shown.map((m) => m.id));
  });

  it('retries a first load that failed, and stops retrying when nobody is connected', async () => {
    server.failNext('GET /models/available', { status: 502, html: true });
    const store = makeStore();
    const release = connect(store);
    await store.loadModels();
    expect(store.getSnapshot()).toMatchObject({ modelsStatus: 'error', models: null, modelsError: { origin: 'intermediary' } });
    const state = await until(store, (s) => s.modelsStatus === 'success');
    expect(state.models).toHaveLength(3);

    server.failNext('GET /models/available', { status: 500, code: 'INTERNAL' });
    await store.refreshModels();
    expect(store.getSnapshot().modelsRetryAt).toEqual(expect.any(Number));
    release();
    await until(store, (s) => s.connection === 'closed');
    expect(store.getSnapshot().modelsRetryAt).toBeNull();
  });
});

describe('capabilities and job files', () => {
  it('reads what the server offers once, and says nothing when the server does not know the route', async () => {
    const store = makeStore();
    await store.loadCapabilities();
    await store.loadCapabilities();
    expect(store.getSnapshot().capabilities).toEqual({ hubToken: true, bundleUpload: false });
    expect(server.count('GET /capabilities')).toBe(1);

    server.capabilities = null;
    const older = makeStore();
    await older.loadCapabilities();
    expect(older.getSnapshot().capabilities).toBeNull();
  });

  it('fetches every file of a job on demand and keeps merging the changed files events carry', async () => {
    const file = (path: string, bytesDownloaded: number) => ({ path, size: 100, bytesDownloaded, status: 'downloading' as const, lfs: false });
    // Listings carry no files; the server has three.
    const listed = server.seedJob({ id: 'a', status: 'downloading', files: [], fileDetail: 'none' });
    const store = makeStore();
    connect(store);
    await until(store, (s) => s.jobs.a);
    server.jobs.set('a', { ...listed, files: [file('x', 10), file('y', 0), file('z', 0)], fileDetail: 'all' });
    // What an event carries: only what changed.
    server.emit('progress', { job: { ...server.jobs.get('a')!, updatedAt: '2026-01-01T00:10:00.000Z', files: [file('y', 50)], fileDetail: 'changed' } });
    await until(store, (s) => s.jobs.a?.files.length === 1);

    // The status route answers older than that event (it was in flight): its list, the event's y on top.
    const full = await store.loadJobFiles('a');
    expect(full!.files.map((f) => [f.path, f.bytesDownloaded])).toEqual([['x', 10], ['y', 50], ['z', 0]]);
    expect(full!.fileDetail).toBe('all');
    server.emit('progress', { job: { ...server.jobs.get('a')!, updatedAt: '2026-01-01T00:11:00.000Z', files: [file('z', 70)], fileDetail: 'changed' } });
    const later = await until(store, (s) => s.jobs.a?.files.find((f) => f.path === 'z')?.bytesDownloaded === 70);
    expect(later.jobs.a!.files.map((f) => [f.path, f.bytesDownloaded])).toEqual([['x', 10], ['y', 50], ['z', 70]]);
  });
});

describe('actions', () => {
  it('flags an action as pending while the request is in flight', async () => {
    const store = makeStore();
    const { id } = await store.start('parsbert');
    const release = server.hold('POST /download/:jobId/pause');
    const pausing = store.pause(id);
    expect(store.getSnapshot().pending).toEqual({ [id]: 'pause' });
    release();
    expect((await pausing).status).toBe('paused');
    expect(store.getSnapshot().pending).toEqual({});
    expect(store.getSnapshot().jobs[id]?.status).toBe('paused');
  });

  it('clears the pending flag and rethrows when the server refuses', async () => {
    const store = makeStore();
    const { id } = await store.start('parsbert');
    const resuming = store.resume(id);
    expect(store.getSnapshot().pending).toEqual({ [id]: 'resume' });
    await expect(resuming).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    expect(store.getSnapshot().pending).toEqual({});
  });

  it('keys start and remove by the id they were given', async () => {
    const store = makeStore();
    const starting = store.start('whisper-fa');
    expect(store.getSnapshot().pending).toEqual({ 'whisper-fa': 'start' });
    server.complete((await starting).id);
    const removing = store.remove('whisper-fa');
    expect(store.getSnapshot().pending).toEqual({ 'whisper-fa': 'remove' });
    expect((await removing).map((r) => r.catalogId)).toEqual(['whisper-fa']);
    expect(store.getSnapshot().pending).toEqual({});
  });
});

describe('references and connections', () => {
  it('keeps the same state object when nothing changed', async () => {
    const store = makeStore({ EventSource: null });
    server.seedJob({ id: 'a', status: 'downloading' });
    connect(store);
    const loaded = await until(store, (s) => s.jobs.a);
    expect(store.getSnapshot()).toBe(store.getSnapshot());

    // Identical polls change nothing.
    const polls = server.count('GET /downloads');
    await server.until(() => server.count('GET /downloads') >= polls + 2);
    expect(store.getSnapshot()).toBe(loaded);

    // Nor does a stale or repeated event.
    const job = loaded.jobs.a!;
    store.applyEvent({ type: 'progress', job: { ...job } });
    store.applyEvent({ type: 'progress', job: { ...job, progress: 99, updatedAt: '2000-01-01T00:00:00.000Z' } });
    store.applyEvent({ type: 'snapshot', jobs: [{ ...job }], source: 'sse' });
    expect(store.getSnapshot()).toBe(loaded);
  });

  it('shares one event stream between connections and closes it after the last release', async () => {
    const store = makeStore();
    const first = store.connect();
    const second = store.connect();
    await until(store, (s) => s.connection === 'open');
    expect(server.openStreams()).toBe(1);
    first();
    first(); // releasing twice counts once
    await Promise.resolve();
    expect(store.getSnapshot().connection).toBe('open');
    second();
    await until(store, (s) => s.connection === 'closed');
    await server.until(() => server.closedStreams() === 1);
    expect(server.count('GET /events')).toBe(1);
  });
});

describe('notifications', () => {
  it('emits started, completed, failed and cancelled from status changes, not from the first snapshot', async () => {
    server.seedJob({ id: 'old', status: 'completed' });
    const store = makeStore();
    const seen: PersianHubNotification[] = [];
    cleanups.push(store.subscribeNotifications((n) => seen.push(n)));
    connect(store);
    await until(store, (s) => s.jobs.old);

    const a = await store.start('piper-fa-amir');
    const b = await store.start('whisper-fa');
    const c = await store.start('parsbert');
    server.update(a.id, { status: 'downloading' }, 'started'); // no second "started"
    server.complete(a.id);
    server.update(b.id, { status: 'failed', error: { code: 'NETWORK', message: 'down' } }, 'failed');
    await store.cancel(c.id);
    await until(store, (s) => s.jobs[a.id]?.status === 'completed' && s.jobs[b.id]?.status === 'failed');

    const summary = (n: PersianHubNotification) => `${n.type}:${(n.job as JobSnapshot).catalogId}`;
    expect(seen.map(summary).sort()).toEqual(
      [
        'started:piper-fa-amir',
        'started:whisper-fa',
        'started:parsbert',
        'completed:piper-fa-amir',
        'failed:whisper-fa',
        'cancelled:parsbert',
      ].sort(),
    );
  });
});
