// What the hf-cli backend promises, whichever CLI moves the bytes: run against the stand-in
// (fixtures/fake-hf.mjs) and against the official Python client (hfCliOfficial.test.ts).
//
// Downloads are held with the emulator's stall fault and released on an event, never raced
// against a timer. The weights are 24 MiB because the official client writes in 10 MiB chunks:
// a smaller file would reach the disk in one write, and no progress could be seen mid-file.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPersianHubError, type DownloadManagerOptions, type JobSnapshot } from '../src/index.js';
import { emulator, manager, sha256File } from './helpers.js';

const MiB = 1024 * 1024;
const REPO = 'test/hf-cli-contract';
const WEIGHTS = 24 * MiB;
/** Where the CDN answer stops until released: past the official client's first 10 MiB write. */
const HOLD_AT = 12 * MiB;
const SEEN_MID_FILE = 10 * MiB;

type Manager = Awaited<ReturnType<typeof manager>>;

export interface HfCliBackendUnderTest {
  /** Manager options that select the backend; `env` is added to the CLI's environment. */
  options(env?: Record<string, string>): DownloadManagerOptions;
}

function contractRepo() {
  return emulator({
    repos: [
      {
        id: REPO,
        files: [
          { path: 'config.json', content: '{"model_type":"bert","hidden_size":768}' },
          { path: 'vocab.txt', content: 'سلام\nدنیا\n' },
          { path: 'pytorch_model.bin', size: WEIGHTS },
        ],
      },
    ],
  });
}

function nextProgress(m: Manager, pred: (s: JobSnapshot) => boolean): Promise<JobSnapshot> {
  return new Promise((resolve) => {
    const off = m.on('progress', (s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

/** Processes whose command line names `text` (the CLI is started with the job's --cache-dir). Linux /proc. */
async function processesNaming(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) pids.push(Number(entry));
  }
  return pids;
}

export function describeHfCliContract(name: string, backend: () => HfCliBackendUnderTest): void {
  describe(`hf-cli backend contract: ${name}`, () => {
    it('downloads with exact progress from the plan and the .incomplete files, each file completed once, same bytes as the Hub', async () => {
      const emu = await contractRepo();
      emu.setFaults([{ type: 'stall', afterBytes: HOLD_AT, match: { host: 'cdn' } }]);
      const m = await manager(emu.url, backend().options());
      const events: Array<{ name: string; job: JobSnapshot }> = [];
      for (const event of ['started', 'progress', 'completed', 'failed'] as const) m.on(event, (job) => events.push({ name: event, job }));
      const completedFiles: string[] = [];
      m.on('file-completed', (_j, f) => completedFiles.push(f.path));

      const job = await m.start({ repoId: REPO });
      expect(job.backend).toBe('hf-cli');
      const mid = await nextProgress(m, (s) => s.bytesDownloaded >= SEEN_MID_FILE && s.bytesDownloaded < (s.bytesTotal ?? 0));
      emu.clearFaults();
      emu.releaseStalled();
      const done = await m.waitFor(job.id);

      const files = emu.repos.get(`model:${REPO}`)!.main.files;
      const total = files.reduce((s, f) => s + f.size, 0);
      expect(done.bytesTotal).toBe(total);
      expect(done.bytesDownloaded).toBe(total);
      expect(mid.bytesTotal).toBe(total);
      expect(completedFiles.sort()).toEqual(files.map((f) => f.path).sort());
      for (const f of files) expect(await sha256File(join(done.path!, f.path))).toBe(f.sha256);
      const progress = events.filter((e) => e.name === 'progress').map((e) => e.job);
      // The total is exact from the first event on, and bytes only grow.
      expect(progress.every((s) => s.bytesTotal === total)).toBe(true);
      for (let i = 1; i < progress.length; i++) expect(progress[i]!.bytesDownloaded).toBeGreaterThanOrEqual(progress[i - 1]!.bytesDownloaded);
      expect(events.slice(-2).map((e) => [e.name, e.job.progress])).toEqual([
        ['progress', 100],
        ['completed', 100],
      ]);
      expect(await readFile(join(m.cacheDir, 'models--test--hf-cli-contract', 'refs', 'main'), 'utf8')).toBe(emu.repos.get(`model:${REPO}`)!.main.commit);
    });

    it('pause keeps the .incomplete file and resume continues from it with Range', async () => {
      const emu = await contractRepo();
      emu.setFaults([{ type: 'stall', afterBytes: HOLD_AT, match: { host: 'cdn' } }]);
      const m = await manager(emu.url, backend().options());
      const job = await m.start({ repoId: REPO, include: ['pytorch_model.bin'] });
      await nextProgress(m, (s) => s.id === job.id && s.bytesDownloaded >= SEEN_MID_FILE);
      const paused = await m.pause(job.id);
      expect(paused.status).toBe('paused');
      const blobs = join(m.cacheDir, 'models--test--hf-cli-contract', 'blobs');
      expect((await readdir(blobs)).some((b) => b.endsWith('.incomplete'))).toBe(true);
      emu.clearFaults();
      await m.resume(job.id);
      const done = await m.waitFor(job.id);
      const file = emu.repos.get(`model:${REPO}`)!.main.filesByPath.get('pytorch_model.bin')!;
      expect(await sha256File(join(done.path!, 'pytorch_model.bin'))).toBe(file.sha256);
      expect(emu.requests.some((r) => r.url.startsWith('/cdn/') && r.headers.range?.startsWith('bytes='))).toBe(true);
    });

    it('cancel ends the CLI and removes the partial files', async () => {
      const emu = await contractRepo();
      emu.setFaults([{ type: 'stall', afterBytes: HOLD_AT, match: { host: 'cdn' } }]);
      const m = await manager(emu.url, backend().options());
      const job = await m.start({ repoId: REPO, include: ['pytorch_model.bin'] });
      await nextProgress(m, (s) => s.id === job.id && s.bytesDownloaded >= SEEN_MID_FILE);
      expect((await processesNaming(m.cacheDir)).length).toBeGreaterThan(0);
      const cancelled = await m.cancel(job.id);
      expect(cancelled.status).toBe('cancelled');
      // The group got SIGTERM: wait for the kernel to reap it rather than sleeping a fixed time.
      await expect.poll(() => processesNaming(m.cacheDir), { timeout: 30_000 }).toEqual([]);
      const blobs = await readdir(join(m.cacheDir, 'models--test--hf-cli-contract', 'blobs'));
      expect(blobs.filter((b) => b.endsWith('.incomplete'))).toEqual([]);
    });

    it('GATED_REPO when the CLI has no token (a real 401 GatedRepo from the emulator), with its message', async () => {
      const emu = await emulator({ repos: [{ id: 'org/gated', type: 'dataset', gated: 'manual', files: [{ path: 'README.md', content: '# gated' }] }] });
      // The manager plans with a token (so the plan succeeds); the CLI runs without one.
      const m = await manager(emu.url, { token: 'hf_emulator_token', ...backend().options({ HF_TOKEN: '' }) });
      const job = await m.start({ repoId: 'org/gated', repoType: 'dataset' });
      const error = await m.waitFor(job.id).catch((e: unknown) => e);
      expect(isPersianHubError(error) && error.code).toBe('GATED_REPO');
      // The CLI's own words are kept (the stand-in replays a recorded transcript of them).
      expect((error as Error).message).toMatch(/Cannot access gated repo/);
      expect(m.get(job.id)!.error?.details?.exitCode).toBe(1);
    });

    it('REPO_NOT_FOUND when the CLI talks to a Hub without the repo', async () => {
      const emu = await contractRepo();
      const empty = await emulator({ repos: [] });
      const m = await manager(emu.url, backend().options({ HF_ENDPOINT: empty.url }));
      const error = await m.waitFor((await m.start({ repoId: REPO, include: ['config.json'] })).id).catch((e: unknown) => e);
      expect(isPersianHubError(error) && error.code).toBe('REPO_NOT_FOUND');
    });
  });
}
