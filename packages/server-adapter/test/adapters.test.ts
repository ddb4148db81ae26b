import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PersianHubError } from '@persian-hub/core';
import type { PersianHubHandlerOptions } from '../src/index.js';
import { FAKE_CACHE_DIR, FakeDownloadManager } from './FakeDownloadManager.js';
import { SERVERS, type StartedServer } from './servers.js';
import { openSse } from './sse.js';

const TOKEN = 'hf_supersecrettoken1234567890';
const JSON_TYPE = { 'content-type': 'application/json' };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by the asserts
const read = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(SERVERS)('%s adapter', (_name, startServer) => {
  let manager: FakeDownloadManager;
  let server: StartedServer;
  const start = async (options: PersianHubHandlerOptions<any> = {}) => {
    await server?.close();
    server = await startServer(manager, { redact: [TOKEN], ...options });
  };
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
  const post = (path: string, body?: unknown, headers: Record<string, string> = JSON_TYPE) =>
    api(path, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const expectError = async (response: Response, status: number, code: string) => {
    const body = await read(response);
    expect(response.status).toBe(status);
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    return body.error as { code: string; message: string; issues?: unknown[]; details?: Record<string, unknown> };
  };

  beforeEach(async () => {
    manager = new FakeDownloadManager();
    server = undefined as unknown as StartedServer;
    await start();
  });
  afterEach(async () => {
    await server.close();
  });

  describe('routes', () => {
    it('lists the catalog joined with install state, filtered by kind and query', async () => {
      manager.addInstalled('rhasspy/piper-voices', 'piper-fa-amir');
      const all = await api('/models/available');
      expect(all.status).toBe(200);
      expect(all.headers.get('content-type')).toMatch(/^application\/json/);
      const models = await read(all);
      expect(models.map((m: { id: string }) => m.id)).toEqual(['piper-fa-amir', 'whisper-fa']);
      expect(models[0].installed.repoId).toBe('rhasspy/piper-voices');

      const tts = await read(api('/models/available?kind=tts&q=piper'));
      expect(tts.map((m: { id: string }) => m.id)).toEqual(['piper-fa-amir']);
      expect(manager.calls.at(-1)).toEqual({ method: 'available', args: [{ kind: 'tts', query: 'piper' }] });

      await api('/models/available?kind=&q=');
      expect(manager.calls.at(-1)).toEqual({ method: 'available', args: [{}] });
    });

    it('starts a catalog download and answers 202 with the job', async () => {
      const response = await post('/download', { id: 'piper-fa-amir' });
      expect(response.status).toBe(202);
      const body = await read(response);
      expect(body.jobId).toBe(body.job.id);
      expect(body.job).toMatchObject({ catalogId: 'piper-fa-amir', status: 'queued' });
      expect(manager.calls.at(-1)).toEqual({ method: 'start', args: ['piper-fa-amir'] });
    });

    it('starts any Hub repo with revision and patterns, never passing kind or a local dir', async () => {
      const response = await post('/download', {
        id: 'HooshvareLab/bert-fa-base-uncased',
        repoType: 'model',
        kind: 'embedding',
        revision: 'v1.0',
        include: ['*.json', 'onnx/*'],
        exclude: ['*.h5'],
      });
      expect(response.status).toBe(202);
      expect(manager.calls.at(-1)!.args[0]).toEqual({
        repoId: 'HooshvareLab/bert-fa-base-uncased',
        repoType: 'model',
        revision: 'v1.0',
        include: ['*.json', 'onnx/*'],
        exclude: ['*.h5'],
      });
    });

    it('returns the running job when the same download is started twice', async () => {
      const first = await read(post('/download', { id: 'piper-fa-amir' }));
      const second = await read(post('/download', { id: 'piper-fa-amir' }));
      expect(second.jobId).toBe(first.jobId);
    });

    it('answers one job, all jobs, and 404 for an unknown job', async () => {
      const { jobId } = await read(post('/download', { id: 'whisper-fa' }));
      const one = await api(`/download/${jobId}/status`);
      expect(one.status).toBe(200);
      expect((await read(one)).id).toBe(jobId);
      const all = await read(api('/downloads'));
      expect(all.map((j: { id: string }) => j.id)).toEqual([jobId]);
      await expectError(await api('/download/job-999/status'), 404, 'NOT_FOUND');
    });

    it('pauses, resumes and cancels; 409 in the wrong state, 404 for unknown jobs', async () => {
      const { jobId } = await read(post('/download', { id: 'whisper-fa' }));
      const paused = await post(`/download/${jobId}/pause`);
      expect(paused.status).toBe(200);
      expect((await read(paused)).status).toBe('paused');
      await expectError(await post(`/download/${jobId}/pause`), 409, 'CONFLICT');
      const resumed = await post(`/download/${jobId}/resume`, {});
      expect(resumed.status).toBe(200);
      expect((await read(resumed)).status).toBe('downloading');
      await expectError(await post(`/download/${jobId}/resume`), 409, 'CONFLICT');

      const cancelled = await api(`/download/${jobId}`, { method: 'DELETE' });
      expect(cancelled.status).toBe(200);
      expect((await read(cancelled)).status).toBe('cancelled');

      await expectError(await post('/download/job-404/pause'), 404, 'NOT_FOUND');
      await expectError(await post('/download/job-404/resume'), 404, 'NOT_FOUND');
      await expectError(await api('/download/job-404', { method: 'DELETE' }), 404, 'NOT_FOUND');
    });

    it('lists and removes installed snapshots by catalog id or encoded org/name', async () => {
      manager.addInstalled('rhasspy/piper-voices', 'piper-fa-amir');
      manager.addInstalled('HooshvareLab/bert-fa');
      const installed = await read(api('/installed'));
      expect(installed).toHaveLength(2);

      const byRepo = await api(`/installed/${encodeURIComponent('HooshvareLab/bert-fa')}`, { method: 'DELETE' });
      expect(byRepo.status).toBe(200);
      expect((await read(byRepo)).removed.map((s: { repoId: string }) => s.repoId)).toEqual(['HooshvareLab/bert-fa']);

      const byCatalog = await api('/installed/piper-fa-amir', { method: 'DELETE', headers: JSON_TYPE });
      expect(byCatalog.status).toBe(200);
      await expectError(await api('/installed/piper-fa-amir', { method: 'DELETE' }), 404, 'NOT_FOUND');
    });

    it('refuses to remove a snapshot a job is using (409)', async () => {
      manager.addInstalled('openai/whisper-small', 'whisper-fa');
      await post('/download', { id: 'whisper-fa' });
      await expectError(await api('/installed/whisper-fa', { method: 'DELETE' }), 409, 'CONFLICT');
    });

    it('leaves unknown paths to the framework', async () => {
      expect((await api('/nope')).status).toBe(404);
      expect((await api('/downloads', { method: 'PUT' })).status).toBe(404);
    });
  });

  describe('input validation', () => {
    const badStarts: [string, unknown][] = [
      ['path traversal repo id', { id: '../etc' }],
      ['three-part repo id', { id: 'a/b/c' }],
      ['double dash', { id: 'a--b/c' }],
      ['double dot', { id: 'a/b..c' }],
      ['.git suffix', { id: 'org/name.git' }],
      ['name over 96 chars', { id: `org/${'n'.repeat(97)}` }],
      ['revision ..', { id: 'org/name', revision: '..' }],
      ['revision with ..', { id: 'org/name', revision: 'main/../x' }],
      ['revision over 200 chars', { id: 'org/name', revision: 'r'.repeat(201) }],
      ['pattern over 200 chars', { id: 'org/name', include: ['p'.repeat(201)] }],
      ['101 patterns', { id: 'org/name', exclude: Array.from({ length: 101 }, (_, i) => `f${i}`) }],
      ['unknown kind', { id: 'org/name', kind: 'weights' }],
      ['unknown repo type', { id: 'org/name', repoType: 'space' }],
      ['include as a string', { id: 'org/name', include: '*.bin' }],
      ['id as a number', { id: 42 }],
      ['missing id', {}],
      ['array body', []],
      ['unknown field (localDir)', { id: 'org/name', localDir: '/etc' }],
      ['catalog id with capitals', { id: 'Piper_FA' }],
      ['catalog id with extra fields', { id: 'piper-fa-amir', revision: 'main' }],
    ];

    it.each(badStarts)('rejects %s with 400 INVALID_INPUT and issues', async (_label, body) => {
      const error = await expectError(await post('/download', body), 400, 'INVALID_INPUT');
      expect(error.issues!.length).toBeGreaterThan(0);
      expect(manager.calls.filter((c) => c.method === 'start')).toEqual([]);
      expect((await api('/downloads')).status).toBe(200);
    });

    it('rejects a body that is not JSON', async () => {
      const response = await api('/download', { method: 'POST', headers: JSON_TYPE, body: '{"id": ' });
      await expectError(response, 400, 'INVALID_INPUT');
    });

    it('rejects bad path params and queries', async () => {
      const dotted = await expectError(await api('/download/..%2Fetc/status'), 400, 'INVALID_INPUT');
      expect(dotted.issues).toEqual([expect.objectContaining({ path: ['params'] })]);
      await expectError(await post('/download/a%20b/pause'), 400, 'INVALID_INPUT');
      // Fastify rejects a malformed URL before routing, with its own 400 body.
      expect((await api('/download/%E0%A4%A/status')).status).toBe(400);
      await expectError(await api(`/installed/${encodeURIComponent('../etc')}`, { method: 'DELETE' }), 400, 'INVALID_INPUT');
      await expectError(await api(`/installed/${encodeURIComponent('a--b/c')}`, { method: 'DELETE' }), 400, 'INVALID_INPUT');
      await expectError(await api('/models/available?kind=weights'), 400, 'INVALID_INPUT');
      await expectError(await api('/models/available?kind=tts&kind=asr'), 400, 'INVALID_INPUT');
      await expectError(await api(`/models/available?q=${'x'.repeat(201)}`), 400, 'INVALID_INPUT');
      const job = await manager.start('whisper-fa');
      await expectError(await post(`/download/${job.id}/pause`, { force: true }), 400, 'INVALID_INPUT');
      expect((await api('/downloads')).status).toBe(200);
    });
  });

  describe('body limits and media types', () => {
    it('accepts the largest body the schema allows, and a request just over a schema limit gets the schema 400, not 413', async () => {
      // Two full pattern lists of Persian patterns, every character sent as a \uXXXX escape: about
      // 240 KB. With a 16 KiB default limit the server answered 413 before the schema could speak.
      const escape = (text: string) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      const patterns = (n: number) => Array.from({ length: n }, (_, i) => `${i}`.padEnd(200, 'ف'));
      const largest = escape(JSON.stringify({ id: 'org/name', revision: 'main', include: patterns(100), exclude: patterns(100) }));
      expect(largest.length).toBeGreaterThan(200 * 1024);
      expect((await api('/download', { method: 'POST', headers: JSON_TYPE, body: largest })).status).toBe(202);
      const tooMany = escape(JSON.stringify({ id: 'org/name', include: patterns(101), exclude: patterns(100) }));
      await expectError(await api('/download', { method: 'POST', headers: JSON_TYPE, body: tooMany }), 400, 'INVALID_INPUT');
    });

    it('answers 413 for a body over the default limit (larger than any valid request)', async () => {
      const body = JSON.stringify({ id: 'org/name', include: ['x'.repeat(300 * 1024)] });
      await expectError(await api('/download', { method: 'POST', headers: JSON_TYPE, body }), 413, 'PAYLOAD_TOO_LARGE');
      expect((await api('/downloads')).status).toBe(200);
    });

    it('answers 413 for a chunked body over the bodyLimit option', async () => {
      await start({ bodyLimit: 64 });
      const chunks = [JSON.stringify({ id: 'org/name', include: ['a'.repeat(40)] }), ' '.repeat(100)];
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      });
      const response = await api('/download', { method: 'POST', headers: JSON_TYPE, body: stream, duplex: 'half' } as RequestInit);
      await expectError(response, 413, 'PAYLOAD_TOO_LARGE');
      expect((await post('/download', { id: 'piper-fa-amir' })).status).toBe(202);
    });

    it.each([
      ['text/plain', 'text/plain;charset=UTF-8', '{"id":"piper-fa-amir"}'],
      ['an urlencoded form', 'application/x-www-form-urlencoded', 'id=piper-fa-amir'],
      ['a multipart form', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="id"\r\n\r\npiper-fa-amir\r\n--x--\r\n'],
    ])('answers 415 for %s', async (_label, type, body) => {
      const response = await api('/download', { method: 'POST', headers: { 'content-type': type }, body });
      await expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(manager.calls.filter((c) => c.method === 'start')).toEqual([]);
    });

    it('takes a POST without a body and without a content type (curl -X POST), but no body of another type', async () => {
      const { jobId } = await read(post('/download', { id: 'whisper-fa' }));
      const paused = await api(`/download/${jobId}/pause`, { method: 'POST' });
      expect(paused.status).toBe(200);
      expect((await read(paused)).status).toBe('paused');
      await expectError(
        await api(`/download/${jobId}/resume`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      await expectError(
        await api(`/download/${jobId}`, { method: 'DELETE', headers: { 'content-type': 'text/plain' }, body: 'x' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expect(manager.get(jobId)!.status).toBe('paused');
    });
  });

  describe('authorize hook', () => {
    it('refuses mutations with 403 FORBIDDEN and allows reads', async () => {
      const seen: string[] = [];
      await start({
        authorize: async (request, action) => {
          seen.push(action);
          expect(request.raw).toBeDefined();
          return ['available', 'list', 'status', 'installed', 'events'].includes(action);
        },
      });
      await expectError(await post('/download', { id: 'piper-fa-amir' }), 403, 'FORBIDDEN');
      expect(manager.calls.filter((c) => c.method === 'start')).toEqual([]);
      const job = await manager.start('whisper-fa');
      await expectError(await post(`/download/${job.id}/pause`), 403, 'FORBIDDEN');
      await expectError(await api(`/download/${job.id}`, { method: 'DELETE' }), 403, 'FORBIDDEN');
      await expectError(await api('/installed/whisper-fa', { method: 'DELETE' }), 403, 'FORBIDDEN');
      expect((await api('/models/available')).status).toBe(200);
      expect((await api('/downloads')).status).toBe(200);
      expect((await api(`/download/${job.id}/status`)).status).toBe(200);
      expect((await api('/installed')).status).toBe(200);
      expect(seen).toEqual(['start', 'pause', 'cancel', 'remove', 'available', 'list', 'status', 'installed']);
    });

    it('can read the framework request and refuse the event stream', async () => {
      await start({
        authorize: (request, action) => action !== 'events' && request.headers['x-api-key'] === 'k',
      });
      await expectError(await api('/events'), 403, 'FORBIDDEN');
      await expectError(await api('/downloads'), 403, 'FORBIDDEN');
      expect((await api('/downloads', { headers: { 'x-api-key': 'k' } })).status).toBe(200);
    });

    it('maps a PersianHubError thrown by authorize (401) and hides other throws', async () => {
      await start({
        authorize: (request) => {
          if (request.headers['x-who'] === 'anon') throw new PersianHubError('UNAUTHORIZED', 'Sign in first');
          throw new Error('db at /home/secret/auth.sqlite is down');
        },
      });
      await expectError(await api('/downloads', { headers: { 'x-who': 'anon' } }), 401, 'UNAUTHORIZED');
      const text = await (await api('/downloads')).text();
      expect(text).not.toContain('/home/secret');
    });
  });

  describe('manager errors', () => {
    it.each([
      ['GATED_REPO', 403],
      ['RATE_LIMITED', 429],
      ['DISK_FULL', 507],
      ['REPO_NOT_FOUND', 404],
      ['REVISION_NOT_FOUND', 404],
      ['UNAUTHORIZED', 401],
      ['NETWORK', 502],
      ['STALLED', 502],
      ['CLI_NOT_FOUND', 501],
      ['CHECKSUM_MISMATCH', 500],
    ] as const)('maps %s to %i', async (code, status) => {
      manager.failNext('start', new PersianHubError(code, `failed with ${code}`, { details: { repoId: 'org/name' } }));
      const error = await expectError(await post('/download', { id: 'org/name' }), status, code);
      expect(error.message).toBe(`failed with ${code}`);
      expect(error.details).toEqual({ repoId: 'org/name' });
    });

    it('sends Retry-After with RATE_LIMITED', async () => {
      manager.failNext('start', new PersianHubError('RATE_LIMITED', 'slow down', { details: { retryAfter: 30 } }));
      const response = await post('/download', { id: 'org/name' });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('30');
    });

    it('replaces the message of unknown errors and never sends a cause', async () => {
      manager.failNext('available', new Error(`EACCES: open '/home/secret/.cache/token' ${TOKEN}`));
      const response = await api('/models/available');
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });

      manager.failNext(
        'installed',
        new PersianHubError('DISK_FULL', 'No space left', { cause: new Error('/home/secret/x'), details: { requiredBytes: 5 } }),
      );
      const disk = await api('/installed');
      const diskText = await disk.text();
      expect(disk.status).toBe(507);
      expect(diskText).not.toContain('/home/secret');
      expect(diskText).not.toContain('cause');
    });

    it('never sends the token; paths only inside the cache dir', async () => {
      const installed = manager.addInstalled('org/name');
      const job = await manager.start('whisper-fa');
      manager.update(job.id, 'failed', {
        status: 'failed',
        path: `${FAKE_CACHE_DIR}/models--openai--whisper-small`,
        error: { code: 'UNAUTHORIZED', message: `token ${TOKEN} was refused` },
      });
      const sse = await openSse(`${server.url}/events`);
      const bodies = [
        await (await api('/downloads')).text(),
        await (await api(`/download/${job.id}/status`)).text(),
        await (await api('/installed')).text(),
        await (await api('/models/available')).text(),
        (await sse.nextEvent()).data,
      ];
      manager.update(job.id, 'failed', { error: { code: 'UNAUTHORIZED', message: `again ${TOKEN}` } });
      bodies.push((await sse.nextEvent()).data);
      sse.close();
      for (const body of bodies) {
        expect(body).not.toContain(TOKEN);
        for (const path of body.match(/"\/[^"]*"/g) ?? []) expect(path.startsWith(`"${FAKE_CACHE_DIR}/`)).toBe(true);
      }
      expect(bodies[2]).toContain(installed.path);
      expect(bodies[0]).toContain('[redacted]');
    });
  });

  describe('server-sent events', () => {
    it('sends retry, then a snapshot, then every job event in order with increasing ids', async () => {
      const existing = await manager.start('whisper-fa');
      const sse = await openSse(`${server.url}/events`);
      expect(sse.response.status).toBe(200);
      expect(sse.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect((await sse.next()).raw).toBe('retry: 2000');
      const snapshot = await sse.nextEvent();
      expect(snapshot.event).toBe('snapshot');
      expect(JSON.parse(snapshot.data)).toEqual({ jobs: [existing] });

      const job = await manager.start('piper-fa-amir');
      const file = { path: 'fa.onnx', size: 10, bytesDownloaded: 10, status: 'completed', lfs: true } as const;
      manager.update(job.id, 'started', { status: 'downloading' });
      const progressed = manager.update(job.id, 'progress', { progress: 50, bytesDownloaded: 5, bytesTotal: 10 });
      manager.update(job.id, 'file-completed', { files: [file] }, file);
      manager.update(job.id, 'completed', { status: 'completed', progress: 100 });
      const removed = manager.addInstalled('org/name');
      await manager.remove('org/name');

      const frames = [];
      for (let i = 0; i < 6; i++) frames.push(await sse.nextEvent());
      expect(frames.map((f) => f.event)).toEqual(['queued', 'started', 'progress', 'file-completed', 'completed', 'removed']);
      const ids = frames.map((f) => Number(f.id));
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
      expect(ids[0]).toBeGreaterThan(Number(snapshot.id));
      expect(frames[2]!.raw).toBe(`id: ${ids[2]}\nevent: progress\ndata: ${JSON.stringify({ job: progressed })}`);
      expect(JSON.parse(frames[3]!.data)).toMatchObject({ job: { id: job.id }, file });
      expect(JSON.parse(frames[4]!.data)).toEqual({ job: manager.get(job.id) });
      expect(JSON.parse(frames[5]!.data)).toEqual({ installed: removed });
      sse.close();
    });

    it('replays buffered events after Last-Event-ID instead of a snapshot', async () => {
      const job = await manager.start('whisper-fa');
      const first = await openSse(`${server.url}/events`);
      await first.nextEvent(); // snapshot
      manager.update(job.id, 'started', { status: 'downloading' });
      const seen = await first.nextEvent();
      first.close();
      manager.update(job.id, 'progress', { progress: 10 });
      manager.update(job.id, 'paused', { status: 'paused' });

      const again = await openSse(`${server.url}/events`, { 'last-event-id': seen.id! });
      const replayed = [await again.nextEvent(), await again.nextEvent()];
      expect(replayed.map((f) => f.event)).toEqual(['progress', 'paused']);
      expect(replayed.map((f) => Number(f.id))).toEqual([Number(seen.id) + 1, Number(seen.id) + 2]);
      manager.update(job.id, 'resumed', { status: 'downloading' });
      expect((await again.nextEvent()).event).toBe('resumed');
      again.close();
    });

    it('sends a snapshot when Last-Event-ID is older than the buffer, unknown or garbage', async () => {
      await start({ replayBuffer: 2 });
      const job = await manager.start('whisper-fa');
      const first = await openSse(`${server.url}/events`);
      const snapshot = await first.nextEvent();
      first.close();
      for (let i = 1; i <= 3; i++) manager.update(job.id, 'progress', { progress: i });
      for (const id of [snapshot.id!, '999999999999999', 'abc']) {
        const sse = await openSse(`${server.url}/events`, { 'last-event-id': id });
        const frame = await sse.nextEvent();
        expect(frame.event).toBe('snapshot');
        expect(JSON.parse(frame.data).jobs[0].progress).toBe(3);
        sse.close();
      }
    });

    it('sends heartbeat comments', async () => {
      await start({ heartbeatMs: 10 });
      const sse = await openSse(`${server.url}/events`);
      let frame = await sse.next();
      while (frame.comment === undefined) frame = await sse.next();
      expect(frame.raw).toBe(': ping');
      sse.close();
    });

    it('removes clients that go away: 1,000 connect/abort cycles leak no listeners', async () => {
      const listenersBefore = manager.listenerCount();
      for (let round = 0; round < 20; round++) {
        await Promise.all(
          Array.from({ length: 50 }, async () => {
            const sse = await openSse(`${server.url}/events`);
            await sse.nextEvent();
            sse.close();
          }),
        );
      }
      expect(manager.listenerCount()).toBe(listenersBefore);
      await vi.waitFor(() => expect(server.sseClientCount()).toBe(0), { timeout: 10_000, interval: 20 });
      // Still broadcasting to the ones that stay.
      const sse = await openSse(`${server.url}/events`);
      await sse.nextEvent();
      await manager.start('whisper-fa');
      expect((await sse.nextEvent()).event).toBe('queued');
      sse.close();
    });

    it('ends open streams when the server closes', async () => {
      const sse = await openSse(`${server.url}/events`);
      await sse.nextEvent();
      const ended = sse.ended();
      await server.close();
      await ended; // a clean end of the stream, not a reset
      expect(server.sseClientCount()).toBe(0);
      server = await startServer(manager, {});
    });
  });
});
