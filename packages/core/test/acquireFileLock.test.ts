import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireFileLock, type FileLockOwner } from '../src/engine/acquireFileLock.js';
import { tempDir } from './helpers.js';

async function plantLock(lockDir: string, owner: Partial<FileLockOwner>, ageMs = 0): Promise<void> {
  await mkdir(lockDir, { recursive: true });
  await writeFile(join(lockDir, 'owner.json'), JSON.stringify({ pid: 1, hostname: hostname(), token: 'planted', createdAt: '', ...owner }));
  const t = new Date(Date.now() - ageMs);
  await utimes(lockDir, t, t);
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('acquireFileLock', () => {
  it('makes a second holder wait until the first releases', async () => {
    const lockDir = join(await tempDir(), 'a.lock');
    const release1 = await acquireFileLock(lockDir, { pollMs: 10 });
    expect(JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    let waitingOn: FileLockOwner | null = null;
    let waitStarted!: () => void;
    const waiting = new Promise<void>((r) => (waitStarted = r));
    let second = false;
    const p2 = acquireFileLock(lockDir, {
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
    await expect(stat(lockDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over at once from a holder on this host that is dead (kill -9)', async () => {
    const lockDir = join(await tempDir(), 'b.lock');
    await plantLock(lockDir, { pid: deadPid() });
    let waited = false;
    const release = await acquireFileLock(lockDir, { onWait: () => (waited = true) });
    expect(waited).toBe(false);
    expect(JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('takes over a lock nobody touched for staleMs, and keeps its own lock fresh', async () => {
    const lockDir = join(await tempDir(), 'c.lock');
    await plantLock(lockDir, { hostname: 'another-host', pid: process.pid }, 60_000);
    let waited = false;
    const release = await acquireFileLock(lockDir, { staleMs: 30_000, onWait: () => (waited = true) });
    expect(waited).toBe(false);
    expect(Date.now() - (await stat(lockDir)).mtimeMs).toBeLessThan(30_000);
    await release();
  });

  it('waits on a fresh lock of another host until aborted, and leaves that lock alone', async () => {
    const lockDir = join(await tempDir(), 'd.lock');
    await plantLock(lockDir, { hostname: 'another-host' });
    const ac = new AbortController();
    const p = acquireFileLock(lockDir, { pollMs: 10, signal: ac.signal, onWait: () => ac.abort(new Error('gave up')) });
    await expect(p).rejects.toThrow('gave up');
    expect(JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')).token).toBe('planted');
  });

  it('a release after a takeover does not remove the new holder’s lock', async () => {
    const lockDir = join(await tempDir(), 'e.lock');
    const release = await acquireFileLock(lockDir);
    // Someone decided our lock was stale and took it.
    await writeFile(join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, hostname: 'x', token: 'new-holder', createdAt: '' }));
    await release();
    expect(JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')).token).toBe('new-holder');
  });

  it('removes the folders made for locks with the last lock in them, up to the root', async () => {
    const root = await tempDir();
    const a = join(root, '.locks', 'models--x--y', 'a.lock');
    const b = join(root, '.locks', 'models--x--y', 'b.lock');
    const releaseA = await acquireFileLock(a, { removeEmptyParentsUpTo: root });
    const releaseB = await acquireFileLock(b, { removeEmptyParentsUpTo: root });
    await releaseA();
    expect(await readdir(join(root, '.locks', 'models--x--y'))).toEqual(['b.lock']);
    await releaseB();
    expect(await readdir(root)).toEqual([]);
    // Python's lock files (left on disk by design) keep their folder.
    await mkdir(join(root, '.locks', 'models--x--y'), { recursive: true });
    await writeFile(join(root, '.locks', 'models--x--y', 'a.lock'), '');
    await (await acquireFileLock(join(root, '.locks', 'models--x--y', 'c.persian-hub.lock'), { removeEmptyParentsUpTo: root }))();
    expect(await readdir(join(root, '.locks', 'models--x--y'))).toEqual(['a.lock']);
  });
});
