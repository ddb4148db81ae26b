import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoCachePaths } from '../src/index.js';
import { emulator, manager, sha256File, tempDir } from './helpers.js';

const MiB = 1024 * 1024;

/**
 * App instances on several hosts share one cache (a network folder). A lock file names its holder
 * by pid and host; a pid of another host cannot be checked, so its lock is taken over only when
 * its heartbeat (the file's mtime, touched every 10 s) is older than 30 s: its host died.
 */
describe('a blob lock held by a process on another host', () => {
  async function setup() {
    const emu = await emulator({ repos: [{ id: 'test/shared', files: [{ path: 'weights.bin', size: 2 * MiB }] }] });
    const file = emu.repos.get('model:test/shared')!.main.filesByPath.get('weights.bin')!;
    const cacheDir = join(await tempDir(), 'hub');
    const lockFile = repoCachePaths(cacheDir, 'model', 'test/shared').lock(file.etag);
    await mkdir(dirname(lockFile), { recursive: true });
    // A live-looking pid (ours) on a host we cannot ask: only the heartbeat can tell.
    await writeFile(lockFile, JSON.stringify({ pid: process.pid, hostname: 'other-host.example', token: 'forged', createdAt: new Date().toISOString() }));
    return { emu, file, cacheDir, lockFile };
  }

  it('is taken over once its heartbeat has expired, and the download completes with the right hash', async () => {
    const { emu, file, cacheDir, lockFile } = await setup();
    const old = new Date(Date.now() - 60_000);
    await utimes(lockFile, old, old);
    const m = await manager(emu.url, { cacheDir });
    const waits: unknown[] = [];
    m.on('warning', (w) => {
      if (w.code === 'WAITING_FOR_OTHER_PROCESS') waits.push(w);
    });
    const job = await m.start({ repoId: 'test/shared' });
    const done = await m.waitFor(job.id);
    expect(waits).toEqual([]);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(file.sha256);
  });

  it('is waited on while its heartbeat is fresh, and taken over when the heartbeat stops', async () => {
    const { emu, file, cacheDir, lockFile } = await setup();
    const m = await manager(emu.url, { cacheDir });
    const waiting = new Promise<Record<string, unknown>>((resolveWait) =>
      m.on('warning', (w) => {
        if (w.code === 'WAITING_FOR_OTHER_PROCESS') resolveWait(w.details as Record<string, unknown>);
      }),
    );
    const job = await m.start({ repoId: 'test/shared' });
    // Fresh: the manager waits for the other host and says whom it waits for.
    expect(await waiting).toMatchObject({ file: 'weights.bin', hostname: 'other-host.example' });
    expect(JSON.parse(await readFile(lockFile, 'utf8')).token).toBe('forged');
    expect(m.get(job.id)!.status).not.toBe('completed');
    // Its host dies: no more heartbeats, so the mtime stays where it was until it is 30 s old.
    const old = new Date(Date.now() - 31_000);
    await utimes(lockFile, old, old);
    const done = await m.waitFor(job.id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(file.sha256);
  });
});
