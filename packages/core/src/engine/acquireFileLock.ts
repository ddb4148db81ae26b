import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, sep } from 'node:path';
import { sleep } from '../transfer/retry.js';
import { processAlive } from './processAlive.js';

export interface FileLockOptions {
  readonly signal?: AbortSignal;
  /** A lock whose holder has not touched it for this long is abandoned. @default 30_000 */
  readonly staleMs?: number;
  /** How often a waiter looks again. @default 250 */
  readonly pollMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  readonly onWait?: (holder: FileLockOwner | null) => void;
}

export interface FileLockOwner {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
  readonly createdAt: string;
}

async function readOwner(lockFile: string): Promise<FileLockOwner | null> {
  try {
    const owner = JSON.parse(await readFile(lockFile, 'utf8')) as FileLockOwner;
    return typeof owner.pid === 'number' && typeof owner.token === 'string' ? owner : null;
  } catch {
    return null;
  }
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * A lock between processes (two apps, or the app and the `persian-hub` command, on one cache):
 * `lockFile` created exclusively (`wx`) with the owner's pid and host in it. The holder touches
 * it every `staleMs / 3`; a waiter takes over a lock whose holder is a dead process on this host
 * (kill -9) or that nobody touched for `staleMs` (another host, a hung process). Returns the
 * release. Two waiters that both judge a lock abandoned at the same instant can both take it;
 * the sha256 check after the transfer still stops a mixed file from being installed.
 *
 * Python's `huggingface_hub` locks the same blob with `flock` on `.locks/<repo>/<etag>.lock`,
 * which Node cannot take without a native addon, so this lock is a separate file beside it:
 * it keeps our processes apart, not ours from Python's.
 */
export async function acquireFileLock(lockFile: string, options: FileLockOptions = {}): Promise<() => Promise<void>> {
  const staleMs = options.staleMs ?? 30_000;
  const pollMs = options.pollMs ?? 250;
  const me: FileLockOwner = { pid: process.pid, hostname: hostname(), token: randomBytes(8).toString('hex'), createdAt: new Date().toISOString() };
  const body = JSON.stringify(me);
  let waiting = false;
  for (let missingParent = 0; ; ) {
    options.signal?.throwIfAborted();
    try {
      await writeFile(lockFile, body, { flag: 'wx' });
      break;
    } catch (error) {
      if (code(error) === 'ENOENT' && missingParent++ < 100) {
        // No folder yet, or one that was just removed as empty: make it (again).
        await mkdir(dirname(lockFile), { recursive: true }).catch((e: unknown) => {
          if (code(e) !== 'ENOENT') throw e;
        });
        continue;
      }
      if (code(error) !== 'EEXIST') throw error;
    }
    const owner = await readOwner(lockFile);
    const touched = await stat(lockFile).then(
      (s) => s.mtimeMs,
      () => null,
    );
    if (touched === null) continue; // released between our create and stat: try again at once
    const dead = owner !== null && owner.hostname === me.hostname && owner.pid !== process.pid && !processAlive(owner.pid);
    if (dead || Date.now() - touched > staleMs) {
      await unlink(lockFile).catch(() => undefined);
      continue;
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(owner);
    }
    await sleep(pollMs, options.signal);
  }
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      void utimes(lockFile, now, now).catch(() => undefined);
    },
    Math.max(50, Math.floor(staleMs / 3)),
  );
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    // Only our own lock: if it was taken over as stale meanwhile, it is someone else's now.
    if ((await readOwner(lockFile))?.token === me.token) await unlink(lockFile).catch(() => undefined);
  };
}

/**
 * Removes `dir` and its parents up to `root` (exclusive) while they are empty, so a job leaves
 * the cache's folders as it found them. rmdir only takes an empty folder: one with a lock in it
 * (ours or Python's) stays. A lock taken in a folder just removed makes it again (see above).
 */
export async function removeEmptyFolders(dir: string, root: string): Promise<void> {
  for (let d = dir; d.startsWith(root + sep) && d !== root; d = dirname(d)) {
    if (!(await rmdir(d).then(
      () => true,
      () => false,
    )))
      break;
  }
}
