import { acquireFileLock, type FileLockOptions } from './acquireFileLock.js';

/**
 * One writer per blob: two jobs that need the same file (two catalog entries in one repo, a
 * duplicate request) take turns instead of writing one `.incomplete` together. In this process
 * through a promise per key; with `lockFile`, also across processes sharing the cache (see
 * `acquireFileLock`). `waited` tells `fn` that someone else may have finished the blob meanwhile.
 */
const locks = new Map<string, Promise<unknown>>();

export interface BlobLockOptions extends FileLockOptions {
  /** Also hold this cross-process lock while `fn` runs. */
  readonly lockFile?: string;
}

export async function withBlobLock<T>(key: string, fn: (waited: boolean) => Promise<T>, options: BlobLockOptions = {}): Promise<T> {
  let waited = false;
  for (;;) {
    const held = locks.get(key);
    if (!held) break;
    waited = true;
    await held.catch(() => undefined);
  }
  const run = (async () => {
    if (!options.lockFile) return fn(waited);
    let otherProcess = false;
    const release = await acquireFileLock(options.lockFile, {
      ...options,
      onWait: (owner) => {
        otherProcess = true;
        options.onWait?.(owner);
      },
    });
    try {
      return await fn(waited || otherProcess);
    } finally {
      await release();
    }
  })();
  locks.set(key, run);
  try {
    return await run;
  } finally {
    if (locks.get(key) === run) locks.delete(key);
  }
}

export function isBlobLocked(key: string): boolean {
  return locks.has(key);
}
