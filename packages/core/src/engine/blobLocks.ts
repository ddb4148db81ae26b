/**
 * One writer per blob in this process: two jobs that need the same file (two catalog entries
 * in one repo, or a duplicate request) take turns instead of writing one `.incomplete` together.
 */
const locks = new Map<string, Promise<unknown>>();

export async function withBlobLock<T>(key: string, fn: (waited: boolean) => Promise<T>): Promise<T> {
  let waited = false;
  for (;;) {
    const held = locks.get(key);
    if (!held) break;
    waited = true;
    await held.catch(() => undefined);
  }
  const run = fn(waited);
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
