import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, rmdir, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { sleep } from '../transfer/retry.js';

export interface FileLockOptions {
  readonly signal?: AbortSignal;
  /** A lock whose holder has not touched it for this long is abandoned. @default 30_000 */
  readonly staleMs?: number;
  /** How often a waiter looks again. @default 250 */
  readonly pollMs?: number;
  /** On release, remove the folders between the lock and this one (exclusive) when empty. */
  readonly removeEmptyParentsUpTo?: string;
  /** Called once when the lock is held by someone else and we start waiting. */
  readonly onWait?: (holder: FileLockOwner | null) => void;
}

export interface FileLockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
  readonly createdAt: string;
}

const OWNER_FILE = 'owner.json';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(lockDir: string): Promise<FileLockOwner | null> {
  try {
    const owner = JSON.parse(await readFile(join(lockDir, OWNER_FILE), 'utf8')) as FileLockOwner;
    return typeof owner.pid === 'number' && typeof owner.token === 'string' ? owner : null;
  } catch {
    return null;
  }
}

/**
 * A lock between processes (two apps, or the app and the `persian-hub` command, on one cache):
 * an atomic `mkdir` of `lockDir` holding the owner's pid and host. The holder touches it every
 * `staleMs / 3`; a waiter takes over a lock whose holder is a dead process on this host (kill -9)
 * or that nobody touched for `staleMs` (another host, a hung process). Returns the release.
 *
 * Python's `huggingface_hub` locks the same blob with `flock` on `.locks/<repo>/<etag>.lock`,
 * which Node cannot take without a native addon, so this lock is a separate file beside it:
 * it keeps our processes apart, not ours from Python's.
 */
export async function acquireFileLock(lockDir: string, options: FileLockOptions = {}): Promise<() => Promise<void>> {
  const staleMs = options.staleMs ?? 30_000;
  const pollMs = options.pollMs ?? 250;
  const me: FileLockOwner = { pid: process.pid, hostname: hostname(), token: randomBytes(8).toString('hex'), createdAt: new Date().toISOString() };
  await mkdir(dirname(lockDir), { recursive: true });
  let waiting = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // Another holder removed the empty parent as it released: make it again.
        await mkdir(dirname(lockDir), { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(lockDir);
    const touched = await stat(lockDir).then(
      (s) => s.mtimeMs,
      () => null,
    );
    if (touched === null) continue; // released between our mkdir and stat: try again at once
    const dead = owner !== null && owner.hostname === me.hostname && owner.pid !== process.pid && !pidAlive(owner.pid);
    if (dead || Date.now() - touched > staleMs) {
      // Abandoned. Two waiters may both see it; rm + mkdir lets only one of them win.
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(owner);
    }
    await sleep(pollMs, options.signal);
  }
  await writeFile(join(lockDir, OWNER_FILE), JSON.stringify(me));
  const heartbeat = setInterval(() => {
    const now = new Date();
    void utimes(lockDir, now, now).catch(() => undefined);
  }, Math.max(50, Math.floor(staleMs / 3)));
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    // Only our own lock: if it was taken over as stale meanwhile, it is someone else's now.
    const owner = await readOwner(lockDir);
    if (owner?.token === me.token) await rm(lockDir, { recursive: true, force: true });
    // The folders made for locks go with the last of them, so a cache looks as it did before.
    // rmdir only takes an empty folder: one with another lock (ours, Python's) in it stays.
    const stop = options.removeEmptyParentsUpTo;
    if (stop) {
      for (let dir = dirname(lockDir); dir.startsWith(stop + sep) && dir !== stop; dir = dirname(dir)) {
        if (!(await rmdir(dir).then(() => true, () => false))) break;
      }
    }
  };
}
