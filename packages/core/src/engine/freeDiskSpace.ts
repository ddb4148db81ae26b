import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Free bytes for an unprivileged writer at `path` (or its nearest existing ancestor). */
export async function freeDiskSpace(path: string): Promise<number | null> {
  let p = path;
  for (let i = 0; i < 64; i++) {
    try {
      const s = await statfs(p);
      return Number(s.bavail) * Number(s.bsize);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return null;
      const up = dirname(p);
      if (up === p) return null;
      p = up;
    }
  }
  return null;
}
