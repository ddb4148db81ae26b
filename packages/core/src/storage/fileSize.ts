import { stat } from 'node:fs/promises';

/** Size of a regular file (following links), or null when there is none. */
export async function fileSize(path: string): Promise<number | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}
