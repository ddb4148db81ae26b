import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileSnapshot, JobSnapshot } from '@persian-hub/core';
import type { PersianHubHandlerOptions } from '../src/index.js';
import { FakeDownloadManager } from './FakeDownloadManager.js';
import { SERVERS, type StartedServer } from './servers.js';
import { openSse } from './sse.js';

const JSON_TYPE = { 'content-type': 'application/json' };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by the asserts
const read = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

/** `n` files as a dataset's job lists them: about 170 bytes of JSON each. */
function files(n: number): FileSnapshot[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `data/train-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.parquet`,
    size: 1_000_000 + i,
    bytesDownloaded: 0,
    status: 'pending' as const,
    lfs: true,
    etag: i.toString(16).padStart(64, '0'),
  }));
}

describe.each(SERVERS)('%s adapter: job lists stay small and finished jobs can be forgotten', (_name, startServer) => {
  let manager: FakeDownloadManager;
  let server: StartedServer;
  const start = async (options: PersianHubHandlerOptions<any> = {}) => {
    await server?.close();
    server = await startServer(manager, options);
  };
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

  beforeEach(async () => {
    manager = new FakeDownloadManager();
    server = undefined as unknown as StartedServer;
    await start();
  });
  afterEach(async () => {
    await server.close();
  });

  describe('slim snapshots and lists', () => {
    /** The case: 100 jobs, 10 of them of a 6,000-file dataset (about 10 MB of file detail). */
    const seedHundredJobs = () => {
      for (let i = 0; i < 100; i++) {
        manager.seedJob({ repoId: `org/repo-${i}`, bytesTotal: 6_000_000_000, bytesDownloaded: i, files: files(i % 10 === 0 ? 6000 : 1) });
      }
    };

    it('a new event-stream client gets a small first frame, then progress of a new job (100 jobs, 10 of 6,000 files)', async () => {
      seedHundredJobs();
      const sse = await openSse(`${server.url}/events`);
      const snapshot = await sse.nextEvent();
      expect(snapshot.event).toBe('snapshot');
      expect(snapshot.data.length).toBeLessThan(128 * 1024);
      const jobs = JSON.parse(snapshot.data).jobs as JobSnapshot[];
      expect(jobs).toHaveLength(100);
      expect(jobs.every((j) => j.files.length === 0)).toBe(true);
      expect(jobs[10]).toMatchObject({ repoId: 'org/repo-10', bytesTotal: 6_000_000_000, bytesDownloaded: 10 });

      const job = await manager.start('whisper-fa');
      manager.update(job.id, 'progress', { status: 'downloading', progress: 12.5 });
      expect((await sse.nextEvent()).event).toBe('queued');
      const progress = await sse.nextEvent();
      expect(progress.event).toBe('progress');
      expect(JSON.parse(progress.data).job).toMatchObject({ id: job.id, progress: 12.5 });
      sse.close();
    });

    it('GET /downloads answers totals only; ?files=1 and GET /download/:id/status keep every file', async () => {
      seedHundredJobs();
      const slim = await api('/downloads');
      const slimText = await slim.text();
      expect(slim.status).toBe(200);
      expect(slimText.length).toBeLessThan(128 * 1024);
      expect((JSON.parse(slimText) as JobSnapshot[]).map((j) => j.files.length)).toEqual(Array(100).fill(0));
      const full = (await read(api('/downloads?files=1'))) as JobSnapshot[];
      expect(manager.listCalls.at(-1)).toEqual([{ files: 'all' }]);
      expect(full[0]!.files).toHaveLength(6000);
      const one = (await read(api(`/download/${full[0]!.id}/status`))) as JobSnapshot;
      expect(one.files).toHaveLength(6000);
      expect((await api('/downloads?files=all')).status).toBe(400);
    });
  });

  describe('slow-client rule', () => {
    it('never drops a client that reads, however big its first burst: a reconnect replaying 5 MB of events', async () => {
      const job = manager.seedJob({ files: files(3000) });
      const first = await openSse(`${server.url}/events`);
      const snapshot = await first.nextEvent();
      first.close();
      for (let i = 1; i <= 10; i++) manager.update(job.id, 'progress', { progress: i });
      const again = await openSse(`${server.url}/events`, { 'last-event-id': snapshot.id! });
      const replayed = [];
      for (let i = 0; i < 10; i++) replayed.push(await again.nextEvent());
      expect(replayed.map((f) => JSON.parse(f.data).job.progress)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(replayed.reduce((n, f) => n + f.data.length, 0)).toBeGreaterThan(4 * 1024 * 1024);
      manager.update(job.id, 'paused', { status: 'paused' });
      expect((await again.nextEvent()).event).toBe('paused');
      again.close();
    });

    it('still drops a client that stops reading once it is more than sseMaxBufferedBytes behind', async () => {
      await start({ sseMaxBufferedBytes: 256 * 1024 });
      const job = manager.seedJob({ files: files(6000) });
      // A client that reads the headers and then nothing: the kernel buffers fill, then ours.
      const stalled = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
        const req = request(`${server.url}/events`, { agent: false }, (res) => {
          res.pause();
          resolve(res);
        });
        req.on('error', reject);
        req.end();
      });
      const gone = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
      stalled.on('error', () => undefined);
      await vi.waitFor(() => expect(server.sseClientCount()).toBe(1));
      let events = 0;
      while (server.sseClientCount() > 0 && events < 200) {
        manager.update(job.id, 'progress', { progress: events++ % 100 });
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(server.sseClientCount()).toBe(0);
      stalled.resume();
      await gone;
    });
  });

  describe('forgetting finished jobs', () => {
    it('POST /download/:id/forget drops a finished job, and the manager’s forgotten event reaches every event-stream client', async () => {
      const done = manager.seedJob({ status: 'completed' });
      const running = manager.seedJob({ status: 'downloading' });
      const sse = await openSse(`${server.url}/events`);
      await sse.nextEvent();
      const res = await api(`/download/${done.id}/forget`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(await read(res)).toEqual({ forgotten: [done.id] });
      expect(manager.get(done.id)).toBeUndefined();
      const event = await sse.nextEvent();
      expect(event.event).toBe('forgotten');
      expect(JSON.parse(event.data).job).toMatchObject({ id: done.id, status: 'completed', files: [] });

      const conflict = await api(`/download/${running.id}/forget`, { method: 'POST', headers: JSON_TYPE, body: '{}' });
      expect(conflict.status).toBe(409);
      expect((await read(conflict)).error).toMatchObject({ code: 'CONFLICT', details: { jobStatus: 'downloading' } });
      expect((await api('/download/job-999/forget', { method: 'POST' })).status).toBe(404);
      expect(manager.get(running.id)).toBeDefined();
      sse.close();
    });

    it('DELETE /downloads?status=finished drops every completed, failed and cancelled job, and nothing else', async () => {
      const finished = ['completed', 'failed', 'cancelled'].map((status) => manager.seedJob({ status: status as JobSnapshot['status'] }).id);
      const kept = ['queued', 'downloading', 'paused'].map((status) => manager.seedJob({ status: status as JobSnapshot['status'] }).id);
      expect((await api('/downloads', { method: 'DELETE' })).status).toBe(400);
      expect(manager.jobs.size).toBe(6);
      const res = await api('/downloads?status=finished', { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect((await read(res)).forgotten.sort()).toEqual([...finished].sort());
      expect([...manager.jobs.keys()].sort()).toEqual([...kept].sort());
    });

    it('uses forget() job by job when the manager has no forgetFinished(), and answers 501 when it has neither', async () => {
      const finished = manager.seedJob({ status: 'failed' });
      Object.assign(manager, { forgetFinished: undefined });
      expect(await read(api('/downloads?status=finished', { method: 'DELETE' }))).toEqual({ forgotten: [finished.id] });
      const again = manager.seedJob({ status: 'completed' });
      Object.assign(manager, { forget: undefined });
      expect((await api(`/download/${again.id}/forget`, { method: 'POST' })).status).toBe(501);
      expect((await api('/downloads?status=finished', { method: 'DELETE' })).status).toBe(501);
      expect(manager.get(again.id)).toBeDefined();
    });

    it('asks authorize about forget', async () => {
      const done = manager.seedJob({ status: 'completed' });
      const asked: string[] = [];
      await start({ authorize: (_req, action) => (asked.push(action), action !== 'forget') });
      expect((await api(`/download/${done.id}/forget`, { method: 'POST' })).status).toBe(403);
      expect((await api('/downloads?status=finished', { method: 'DELETE' })).status).toBe(403);
      expect(asked).toEqual(['forget', 'forget']);
      expect(manager.get(done.id)).toBeDefined();
    });
  });
});
