import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PersianHubError } from '../PersianHubError.js';

/**
 * A bundle must be a regular file. Read as a tar stream, a folder fails after the stream opened
 * (the CLI exited 13 without a word), `/dev/zero` never ends and a FIFO blocks until someone
 * writes: refuse them before opening anything.
 */
export async function assertBundleFile(file: string): Promise<void> {
  let st: Stats;
  try {
    st = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PersianHubError('NOT_FOUND', 'The bundle file does not exist.', { cause: error, details: { bundle: true } });
    }
    throw new PersianHubError('BUNDLE_INVALID', `Cannot read the bundle file (${code ?? String(error)}).`, { cause: error });
  }
  if (!st.isFile()) {
    const kind = describeKind(st);
    throw new PersianHubError('BUNDLE_INVALID', `A bundle is a .tar file, but this is ${kind}.`, { details: { kind } });
  }
}

function describeKind(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}
