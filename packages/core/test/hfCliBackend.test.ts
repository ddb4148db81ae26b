
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPersianHubError, type JobSnapshot } from '../src/index.js';
import { describeHfCliContract } from './hfCliContract.js';
import { emulator, manager, sharedEmulator, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const FAKE = join(here, 'fixtures', 'fake-hf.mjs');
const BERT = 'HooshvareLab/bert-fa-base-uncased';
const cli = (env: Record<string, string> = {}) => ({ backend: 'hf-cli' as const, hfCli: { command: process.execPath, args: [FAKE], env } });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function until(m: Awaited<ReturnType<typeof manager>>, pred: (s: JobSnapshot) => boolean): Promise<JobSnapshot> {
  return new Promise((resolve) => {
    const off = m.on('progress', (s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

/**
 * Holds this thread (and so the poll that called the listener) until `done()` holds. Only for
 * lining up a race with another process, which runs on regardless; bounded so a broken fixture
 * fails instead of hanging.
 */
/**
 * The stand-in CLI's pid from its pid file, 0 while there is none. Never signal 0: that is this
 * whole process group (the test runner and, under CI, the shell that started it).
 */
function readPid(file: string): number {
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

function holdUntil(done: () => boolean, what: string): void {
  const giveUp = Date.now() + 60_000;
  while (!done()) if (Date.now() > giveUp) throw new Error(`gave up waiting for ${what}`);
}

/** The process has exited: gone, or a zombie our event loop (held here) has not reaped yet. Linux /proc. */
function exited(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)![0];
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

describeHfCliContract('the stand-in CLI (fixtures/fake-hf.mjs)', () => ({ options: cli }));

describe('hf-cli backend with the stand-in CLI (real output formats and transcripts, against the emulator)', () => {
  it('reports every file completed exactly once, even when a disk poll is still running as the CLI exits', async () => {
    // The backend polls the disk every pollIntervalMs and measures once more after the CLI exits.
    // A poll that was still walking the files then ran beside that last measure: both took a
    // finished file for new and reported it twice (hosts that count files saw 4 of 3).
    //
    // The interleaving is forced, not hoped for. The stand-in CLI lands the last file of the plan
    // only; the poll that reports it is at the end of its walk, and while it reports it (this
    // listener runs inside that walk) the CLI lands every other file. The next poll then starts a
    // walk over 1499 finished files; when it reports the first one, the CLI exits and this
    // listener holds the walk until the process has really exited, so the walk is still ahead of
    // the last measure when that begins.
    const files = Array.from({ length: 1500 }, (_, i) => ({ path: `shards/part-${String(i).padStart(4, '0')}.json`, content: `{"i":${i}}` }));
    const emu = await emulator({ repos: [{ id: 'test/many-files', files }] });
    const resolved = emu.repos.get('model:test/many-files')!.main.files;
    const staged = await tempDir('ph-staged-');
    for (const f of resolved) await writeFile(join(staged, f.etag), `{"i":${Number(/part-(\d+)/.exec(f.path)![1])}}`);
    const control = await tempDir('ph-cli-control-');
    const pidFile = join(control, 'cli.pid');
    const landed = join(control, 'landed');
    const sentinel = resolved.at(-1)!.path;
    const m = await manager(emu.url, {
      ...cli({ FAKE_HF_STAGED_DIR: staged, FAKE_HF_PIDFILE: pidFile, FAKE_HF_SENTINEL: sentinel, FAKE_HF_LANDED: landed }),
      progressIntervalMs: 10,
    });
    const completed = new Map<string, number>();
    const steps: string[] = [];
    // Events carry only the files that changed; the plan's order is in the full snapshot.
    let plan: string[] | null = null;
    m.on('file-completed', (job, f) => {
      completed.set(f.path, (completed.get(f.path) ?? 0) + 1);
      const pid = readPid(pidFile);
      plan ??= m.get(job.id)!.files.map((x) => x.path);
      if (f.path === sentinel && steps.length === 0) {
        steps.push(plan.at(-1) === sentinel ? 'sentinel reported last' : 'sentinel not last');
        if (pid === 0) throw new Error('the stand-in CLI wrote no pid before its first file');
        process.kill(pid, 'SIGUSR1');
        holdUntil(() => existsSync(landed), 'the CLI landing the other files');
      } else if (f.path === plan[0] && steps.length === 1) {
        steps.push('first file reported');
        process.kill(pid, 'SIGUSR2');
        holdUntil(() => exited(pid), 'the CLI exiting');
      }
    });
    const done = await m.waitFor((await m.start({ repoId: 'test/many-files' })).id);
    expect(steps).toEqual(['sentinel reported last', 'first file reported']);
    expect(done.status).toBe('completed');
    expect([...completed].filter(([, n]) => n !== 1)).toEqual([]);
    expect(completed.size).toBe(files.length);
    expect(done.bytesDownloaded).toBe(done.bytesTotal);
  });

  it('progress never goes back when the CLI moves a finished file into place between two looks at it', async () => {
    // The backend looks at a file's finished blob and at its .incomplete. If the CLI's rename
    // lands between the two looks, it used to find neither and report the file's bytes as 0 for
    // a moment (seen with the official CLI: 10 MiB, then 0). Forced here: the stand-in leaves the
    // whole file as .incomplete and waits; a hook on fs.stat renames it right after the backend
    // has looked for the finished blob, then lets the CLI finish.
    const emu = await emulator({ repos: [{ id: 'test/rename-race', files: [{ path: 'config.json', content: '{"a":1}' }, { path: 'weights.bin', size: 1024 * 1024 }] }] });
    const weights = emu.repos.get('model:test/rename-race')!.main.filesByPath.get('weights.bin')!;
    const pidFile = join(await tempDir('ph-cli-control-'), 'cli.pid');
    const m = await manager(emu.url, { ...cli({ FAKE_HF_LEAVE_INCOMPLETE: 'weights.bin', FAKE_HF_PIDFILE: pidFile }), progressIntervalMs: 10 });
    const blob = join(m.cacheDir, 'models--test--rename-race', 'blobs', weights.etag);
    let fullyMeasured = false;
    const seen: number[] = [];
    m.on('progress', (s) => {
      seen.push(s.bytesDownloaded);
      fullyMeasured ||= s.files.some((f) => f.path === 'weights.bin' && f.bytesDownloaded === weights.size);
    });
    const fsp = createRequire(import.meta.url)('node:fs/promises') as { stat: (...args: unknown[]) => Promise<unknown> };
    const stat = fsp.stat;
    let moved = false;
    fsp.stat = (...args: unknown[]) => {
      const result = stat(...args);
      const pid = existsSync(pidFile) ? readPid(pidFile) : 0;
      if (moved || args[0] !== blob || !fullyMeasured || pid === 0) return result;
      moved = true;
      // After this look at the blob (not there yet) and before the next one at the .incomplete.
      return result.finally(() => {
        renameSync(`${blob}.incomplete`, blob);
        process.kill(pid, 'SIGUSR2');
      });
    };
    syncBuiltinESMExports();
    try {
      const done = await m.waitFor((await m.start({ repoId: 'test/rename-race' })).id);
      expect(moved).toBe(true);
      expect(done.status).toBe('completed');
      expect(done.bytesDownloaded).toBe(done.bytesTotal);
      const backwards = seen.filter((bytes, i) => i > 0 && bytes < seen[i - 1]!);
      expect(backwards).toEqual([]);
    } finally {
      fsp.stat = stat;
      syncBuiltinESMExports();
    }
  });

  it('works with the legacy huggingface-cli output (deprecation line first)', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url, cli({ FAKE_HF_LEGACY: '1' }));
    const done = await m.waitFor((await m.start({ repoId: 'HooshvareLab/pn_summary', repoType: 'dataset' })).id);
    expect(done.status).toBe('completed');
  });

  it('cancel kills the whole process tree (what the CLI started too) and removes the partial files', async () => {
    const emu = await sharedEmulator();
    // Held mid-file until the cancel: the download cannot finish first however slow the machine.
    emu.setFaults([{ type: 'stall', afterBytes: 100_000, match: { host: 'cdn' } }]);
    const pidDir = await mkdtemp(join(tmpdir(), 'ph-pid-'));
    const pidFile = join(pidDir, 'grandchild.pid');
    const m = await manager(emu.url, cli({ FAKE_HF_GRANDCHILD_PIDFILE: pidFile }));
    const job = await m.start({ repoId: BERT, include: ['pytorch_model.bin'] });
    await until(m, (s) => s.id === job.id && s.bytesDownloaded > 20_000);
    const grandchild = readPid(pidFile);
    expect(grandchild).toBeGreaterThan(0);
    expect(alive(grandchild)).toBe(true);
    const cancelled = await m.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    // The group got SIGTERM; wait for the kernel to reap it rather than sleeping a fixed time.
    await expect.poll(() => alive(grandchild), { timeout: 10_000 }).toBe(false);
    const blobs = await readdir(join(m.cacheDir, 'models--HooshvareLab--bert-fa-base-uncased', 'blobs'));
    expect(blobs.filter((b) => b.endsWith('.incomplete'))).toEqual([]);
    await rm(pidDir, { recursive: true, force: true });
  });

  describe('errors keep the CLI message and map to the native codes', () => {
    it('ENTRY_NOT_FOUND from the entry-not-found transcript', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url, cli({ FAKE_HF_REPLAY: 'hf-download-entry-not-found' }));
      const error = await m.waitFor((await m.start({ repoId: BERT, include: ['config.json'] })).id).catch((e: unknown) => e);
      expect(isPersianHubError(error) && error.code).toBe('ENTRY_NOT_FOUND');
    });

    it('CLI_NOT_FOUND at start, with how to install it', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url, { backend: 'hf-cli', hfCli: { command: 'no-such-hf-cli-here' } });
      const error = await m.start({ repoId: BERT }).catch((e: unknown) => e);
      expect(isPersianHubError(error) && error.code).toBe('CLI_NOT_FOUND');
      expect((error as Error).message).toContain('pip install -U huggingface_hub');
      const m2 = await manager(emu.url, { backend: 'hf-cli', hfCli: { env: { PATH: '/nonexistent' } } });
      const error2 = await m2.start({ repoId: BERT }).catch((e: unknown) => e);
      expect(isPersianHubError(error2) && error2.code).toBe('CLI_NOT_FOUND');
      expect((error2 as Error).message).toMatch(/hf.*huggingface-cli/);
      expect(m2.list()).toEqual([]);
    });
  });
});

