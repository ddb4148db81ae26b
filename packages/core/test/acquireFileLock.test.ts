import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireFileLock, removeEmptyFolders, type FileLockOwner } from '../src/engine/acquireFileLock.js';
import { tempDir } from './helpers.js';

async function plantLock(lockFile: string, owner: Partial<FileLockOwner>, ageMs = 0): Promise<void> {
  await writeFile(lockFile, JSON.stringify({ pid: 1, hostname: hostname(), token: 'planted', createdAt: '', ...owner }));
  const t = new Date(Date.now() - ageMs);
  await utimes(lockFile, t, t);
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('acquireFileLock', () => {
  it('makes a second holder wait until the first releases', async () => {
    const lockFile = join(await tempDir(), 'a.lock');
    const release1 = await acquireFileLock(lockFile, { pollMs: 10 });
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    let waitingOn: FileLockOwner | null = null;
    let waitStarted!: () => void;
    const waiting = new Promise<void>((r) => (waitStarted = r));
    let second = false;
    const p2 = acquireFileLock(lockFile, {
      pollMs: 10,
      onWait: (owner) => {
        waitingOn = owner;
        waitStarted();
      },
    }).then((release) => {
      second = true;
      return release;
    });
    await waiting;
    expect(second).toBe(false);
    expect(waitingOn).toMatchObject({ pid: process.pid });
    await release1();
    const release2 = await p2;
    expect(second).toBe(true);
    await release2();
    await expect(stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over at once from a holder on this host that is dead (kill -9)', async () => {
    const lockFile = join(await tempDir(), 'b.lock');
    await plantLock(lockFile, { pid: deadPid() });
    let waited = false;
    const release = await acquireFileLock(lockFile, { onWait: () => (waited = true) });
    expect(waited).toBe(false);
    expect(JSON.parse(await readFile(lockFile, 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('takes over a lock nobody touched for staleMs, and keeps its own lock fresh', async () => {
    const lockFile = join(await tempDir(), 'c.lock');
    await plantLock(lockFile, { hostname: 'another-host', pid: process.pid }, 60_000);
    let waited = false;
    const release = await acquireFileLock(lockFile, { staleMs: 30_000, onWait: () => (waited = true) });
    expect(waited).toBe(false);
    expect(Date.now() - (await stat(lockFile)).mtimeMs).toBeLessThan(30_000);
    await release();
  });

  it('waits on a fresh lock of another host until aborted, and leaves that lock alone', async () => {
    const lockFile = join(await tempDir(), 'd.lock');
    await plantLock(lockFile, { hostname: 'another-host' });
    const ac = new AbortController();
    const p = acquireFileLock(lockFile, { pollMs: 10, signal: ac.signal, onWait: () => ac.abort(new Error('gave up')) });
    await expect(p).rejects.toThrow('gave up');
    expect(JSON.parse(await readFile(lockFile, 'utf8')).token).toBe('planted');
  });

  it('a release after a takeover does not remove the new holder’s lock', async () => {
    const lockFile = join(await tempDir(), 'e.lock');
    const release = await acquireFileLock(lockFile);
    // Someone decided our lock was stale and took it.
    await writeFile(lockFile, JSON.stringify({ pid: process.pid, hostname: 'x', token: 'new-holder', createdAt: '' }));
    await release();
    expect(JSON.parse(await readFile(lockFile, 'utf8')).token).toBe('new-holder');
  });

  it('makes its folder, and removeEmptyFolders takes the folders back up to the root unless a lock is in them', async () => {
    const root = await tempDir();
    const dir = join(root, '.locks', 'models--x--y');
    const release = await acquireFileLock(join(dir, 'a.persian-hub.lock'));
    await removeEmptyFolders(dir, root);
    expect(await readdir(dir)).toEqual(['a.persian-hub.lock']);
    await release();
    await removeEmptyFolders(dir, root);
    expect(await readdir(root)).toEqual([]);
    // Python's lock files (left on disk by design) keep their folder.
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'a.lock'), '');
    await removeEmptyFolders(dir, root);
    expect(await readdir(dir)).toEqual(['a.lock']);
  });

  it('a lock taken while its folder is being removed makes the folder again', async () => {
    const root = await tempDir();
    const dir = join(root, '.locks', 'models--x--y');
    for (let round = 0; round < 30; round++) {
      await Promise.all([
        ...Array.from({ length: 20 }, async (_, i) => (await acquireFileLock(join(dir, `${round}-${i}.lock`)))()),
        ...Array.from({ length: 20 }, () => removeEmptyFolders(dir, root)),
      ]);
    }
    await removeEmptyFolders(dir, root);
    expect(await readdir(root)).toEqual([]);
  });
});
