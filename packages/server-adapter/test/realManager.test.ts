import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDownloadManager, type DownloadManager, type JobSnapshot } from '@persian-hub/core';
import { startHubEmulator, type HubEmulator } from '@persian-hub/hub-emulator';
import { SERVERS, type StartedServer } from './servers.js';

/**
 * The adapters with the real DownloadManager and the Hub emulator on 127.0.0.1: the seed's curl
 * session (list → start → poll → installed), pause/resume, cancel, SSE to completion.
 */
let emu: HubEmulator;
beforeAll(async () => {
  emu = await startHubEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});

interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

/** Reads SSE frames from a live fetch until `until` says stop; no sleeps. */
async function readEvents(url: string, until: (e: SseEvent, all: SseEvent[]) => boolean, signal: AbortSignal): Promise<SseEvent[]> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buf += value;
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const e: SseEvent = { event: 'message', data: '' };
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('id: ')) e.id = line.slice(4);
        else if (line.startsWith('event: ')) e.event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (!data) continue;
      e.data = JSON.parse(data);
      events.push(e);
      if (until(e, events)) {
        await reader.cancel().catch(() => undefined);
        return events;
      }
    }
  }
}

describe.each(SERVERS)('%s with the real manager and the Hub emulator', (_name, start) => {
  let manager: DownloadManager;
  let server: StartedServer;
  let root: string;
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ph-server-'));
    manager = createDownloadManager({
      endpoint: emu.url,
      token: false,
      cacheDir: join(root, 'hub'),
      stateDir: join(root, 'state'),
      progressIntervalMs: 50,
      retry: { retries: 3, minDelayMs: 5, maxDelayMs: 20 },
    });
    server = await start(manager);
  });
  afterAll(async () => {
    await server.close();
    await manager.close();
    await rm(root, { recursive: true, force: true });
  });
  afterEach(() => emu.clearFaults());

  it('runs the seed curl session: list, start, poll status to completion, installed', async () => {
    const list = await fetch(`${server.url}/models/available?kind=tts&q=${encodeURIComponent('فارسی')}`);
    expect(list.status).toBe(200);
    const models = (await list.json()) as Array<{ id: string; installed: unknown }>;
    expect(models.map((m) => m.id)).toContain('piper-fa-amir-medium');
    expect(models.find((m) => m.id === 'piper-fa-amir-medium')!.installed).toBeNull();

    const started = await fetch(`${server.url}/download`, { method: 'POST', headers: json, body: JSON.stringify({ id: 'piper-fa-amir-medium' }) });
    expect(started.status).toBe(202);
    const { jobId, job } = (await started.json()) as { jobId: string; job: JobSnapshot };
    expect(job.id).toBe(jobId);

    // Poll as the seed's UI did, but wait on the manager's event rather than a timer.
    await manager.waitFor(jobId);
    const status = (await (await fetch(`${server.url}/download/${jobId}/status`)).json()) as JobSnapshot;
    expect(status.status).toBe('completed');
    expect(status.bytesDownloaded).toBe(status.bytesTotal);

    const installed = (await (await fetch(`${server.url}/installed`)).json()) as Array<{ catalogId: string | null; path: string }>;
    const row = installed.find((i) => i.catalogId === 'piper-fa-amir-medium');
    expect(row).toBeDefined();
    expect(row!.path.startsWith(join(root, 'hub'))).toBe(true);
    const after = (await (await fetch(`${server.url}/models/available?q=amir`)).json()) as Array<{ id: string; installed: unknown }>;
    expect(after.find((m) => m.id === 'piper-fa-amir-medium')!.installed).not.toBeNull();

    const removed = await fetch(`${server.url}/installed/piper-fa-amir-medium`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect((await fetch(`${server.url}/installed/piper-fa-amir-medium`, { method: 'DELETE' })).status).toBe(404);
  });

  it('streams SSE events in order for a download, ending with completed', async () => {
    const ac = new AbortController();
    const repo = 'HooshvareLab/bert-fa-zwnj-base';
    let jobId = '';
    let subscribed!: () => void;
    const snapshotSeen = new Promise<void>((resolve) => (subscribed = resolve));
    const reading = readEvents(
      `${server.url}/events`,
      (e) => {
        if (e.event === 'snapshot') subscribed();
        return e.event === 'completed' && e.data.job.id === jobId;
      },
      ac.signal,
    );
    // Start the download only once the stream is live, so no event can be missed.
    await snapshotSeen;
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 3_000_000, match: { host: 'cdn' } }]);
    const res = await fetch(`${server.url}/download`, { method: 'POST', headers: json, body: JSON.stringify({ id: repo, repoType: 'model', include: ['*.json', 'pytorch_model.bin'] }) });
    jobId = ((await res.json()) as { jobId: string }).jobId;
    const events = await reading;
    expect(events[0]!.event).toBe('snapshot');
    const mine = events.filter((e) => e.data.job?.id === jobId);
    const names = mine.map((e) => e.event);
    expect(names[0]).toBe('queued');
    expect(names).toContain('started');
    expect(names).toContain('file-completed');
    expect(names.at(-1)).toBe('completed');
    const ids = events.filter((e) => e.id).map((e) => Number(e.id));
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
    const bytes = mine.map((e) => e.data.job.bytesDownloaded as number);
    for (let i = 1; i < bytes.length; i++) expect(bytes[i]).toBeGreaterThanOrEqual(bytes[i - 1]!);
    ac.abort();
  });

  it('pauses and resumes over REST, and cancel leaves no partial files', async () => {
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 500_000, match: { host: 'cdn' } }]);
    const res = await fetch(`${server.url}/download`, { method: 'POST', headers: json, body: JSON.stringify({ id: 'HooshvareLab/bert-fa-base-uncased', include: ['pytorch_model.bin'] }) });
    const { jobId } = (await res.json()) as { jobId: string };
    await new Promise<void>((resolve) => {
      const off = manager.on('progress', (s) => {
        if (s.id === jobId && s.bytesDownloaded > 50_000) {
          off();
          resolve();
        }
      });
    });
    const paused = await fetch(`${server.url}/download/${jobId}/pause`, { method: 'POST', headers: json, body: '{}' });
    expect(paused.status).toBe(200);
    expect(((await paused.json()) as JobSnapshot).status).toBe('paused');
    const again = await fetch(`${server.url}/download/${jobId}/pause`, { method: 'POST', headers: json, body: '{}' });
    expect(again.status).toBe(200);
    const resumed = await fetch(`${server.url}/download/${jobId}/resume`, { method: 'POST', headers: json, body: '{}' });
    expect(resumed.status).toBe(200);
    const cancelled = await fetch(`${server.url}/download/${jobId}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as JobSnapshot).status).toBe('cancelled');
    expect((await fetch(`${server.url}/download/${jobId}/resume`, { method: 'POST', headers: json, body: '{}' })).status).toBe(409);
    const { readdir } = await import('node:fs/promises');
    const blobs = await readdir(join(root, 'hub', 'models--HooshvareLab--bert-fa-base-uncased', 'blobs')).catch(() => [] as string[]);
    expect(blobs.filter((b) => b.endsWith('.incomplete'))).toEqual([]);
    const all = (await (await fetch(`${server.url}/downloads`)).json()) as JobSnapshot[];
    expect(all.find((j) => j.id === jobId)?.status).toBe('cancelled');
  });

  it('maps real Hub errors through the status table (404 repo, 403 gated)', async () => {
    const res = await fetch(`${server.url}/download`, { method: 'POST', headers: json, body: JSON.stringify({ id: 'nobody/missing-repo' }) });
    expect(res.status).toBe(202); // accepted: the Hub is asked in the background
    const { jobId } = (await res.json()) as { jobId: string };
    await manager.waitFor(jobId).catch(() => undefined);
    const status = (await (await fetch(`${server.url}/download/${jobId}/status`)).json()) as JobSnapshot;
    expect(status.error?.code).toBe('REPO_NOT_FOUND');
    expect(JSON.stringify(status)).not.toContain(tmpdir() + '/secret');
    expect((await fetch(`${server.url}/download/job_doesnotexist/status`)).status).toBe(404);
    expect((await fetch(`${server.url}/download`, { method: 'POST', headers: json, body: JSON.stringify({ id: '../etc/passwd' }) })).status).toBe(400);
    expect((await fetch(`${server.url}/download`, { method: 'POST', headers: json, body: JSON.stringify({ id: 'no-such-catalog-id' }) })).status).toBe(404);
  });

  it('plans a download with a long list of pathological patterns, and the server keeps answering', async () => {
    // Issue 10: `*?*?…Z` compiled to a backtracking RegExp froze the process: 7 s for `*?` × 8 on
    // one 44-character path of this repo, five times more for every extra `*?`. Here `*?` × 20
    // (longer patterns need paths longer than this repo has before the RegExp even tries).
    const include = ['fa/fa_IR/amir/medium/', ...Array.from({ length: 60 }, (_, i) => `${'*?'.repeat(20)}${i % 2 ? 'Z' : 'q'}`)];
    const res = await fetch(`${server.url}/download`, { method: 'POST', headers: json, body: JSON.stringify({ id: 'rhasspy/piper-voices', include }) });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    expect((await fetch(`${server.url}/downloads`)).status).toBe(200);
    await manager.waitFor(jobId);
    const status = (await (await fetch(`${server.url}/download/${jobId}/status`)).json()) as JobSnapshot;
    expect(status.status).toBe('completed');
    // No path of the repo ends in Z or q, so only the folder pattern selects anything.
    const amir = emu.repos.get('model:rhasspy/piper-voices')!.main.files.map((f) => f.path).filter((p) => p.startsWith('fa/fa_IR/amir/medium/'));
    expect(amir.length).toBeGreaterThan(1);
    expect(status.files.map((f) => f.path).sort()).toEqual(amir.sort());
  });
});
