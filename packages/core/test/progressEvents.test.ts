import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DownloadManager, JobSnapshot } from '../src/index.js';
import { emulator, manager, tempDir } from './helpers.js';

// A host that follows the README listens to `progress` only. However fast a job is (here the ticker
// interval is longer than the whole download, so it never fires), that host must see the bar move
// and end at 100 % before `completed`.

type Seen = { event: string; progress: number; bytesDownloaded: number; bytesTotal: number | null; status: string };

function record(m: DownloadManager): Seen[] {
  const seen: Seen[] = [];
  for (const event of ['queued', 'started', 'progress', 'completed', 'failed', 'file-completed'] as const) {
    m.on(event, (job: JobSnapshot) => {
      seen.push({ event, progress: job.progress, bytesDownloaded: job.bytesDownloaded, bytesTotal: job.bytesTotal, status: job.status });
    });
  }
  return seen;
}

function tinyRepo() {
  return emulator({
    repos: [{ id: 'test/tiny', files: [{ path: 'config.json', content: '{"a":1}' }, { path: 'model.bin', size: 4096 }] }],
  });
}

describe('progress events of a fast job', () => {
  it('a download emits progress, the last one at 100 % with every byte, right before completed', async () => {
    const emu = await tinyRepo();
    const m = await manager(emu.url, { progressIntervalMs: 10_000 });
    const seen = record(m);
    const job = await m.start({ repoId: 'test/tiny' });
    const done = await m.waitFor(job.id);
    expect(done.status).toBe('completed');

    const progress = seen.filter((s) => s.event === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    const completedAt = seen.findIndex((s) => s.event === 'completed');
    expect(seen[completedAt - 1]).toEqual({ event: 'progress', progress: 100, bytesDownloaded: done.bytesTotal, bytesTotal: done.bytesTotal, status: expect.stringMatching(/downloading|verifying/) });
    expect(seen.slice(completedAt + 1).filter((s) => s.event === 'progress')).toEqual([]);
    // started comes first, completed last; file-completed events come before the final progress.
    expect(seen.map((s) => s.event).indexOf('started')).toBeLessThan(seen.map((s) => s.event).indexOf('progress'));
    expect(seen.at(-1)?.event).toBe('completed');
  });

  it('a job whose files are all in the cache already still ends with progress 100 % before completed', async () => {
    const emu = await tinyRepo();
    const m = await manager(emu.url, { progressIntervalMs: 10_000 });
    await m.waitFor((await m.start({ repoId: 'test/tiny' })).id);
    const seen = record(m);
    const again = await m.waitFor((await m.start({ repoId: 'test/tiny' })).id);
    expect(again.files.every((f) => f.status === 'cached')).toBe(true);
    expect(seen.map((s) => s.event).slice(-2)).toEqual(['progress', 'completed']);
    expect(seen.at(-2)?.progress).toBe(100);
  });

  it('a bundle import emits progress 100 % before completed too', async () => {
    const emu = await tinyRepo();
    const online = await manager(emu.url, { progressIntervalMs: 10_000 });
    await online.waitFor((await online.start({ repoId: 'test/tiny' })).id);
    const file = join(await tempDir(), 'tiny.tar');
    await online.exportBundle('test/tiny', file);

    const offline = await manager(emu.url, { progressIntervalMs: 10_000 });
    const seen = record(offline);
    const { job } = await offline.importBundle(file);
    expect(job.status).toBe('completed');
    expect(seen.map((s) => s.event).slice(-2)).toEqual(['progress', 'completed']);
    expect(seen.at(-2)).toMatchObject({ progress: 100, bytesDownloaded: job.bytesTotal });
  });
});
