import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { createManifestPeek, type BundleManifestLimits } from './createManifestPeek.js';
import { HttpError } from './HttpError.js';

/**
 * Checks a bundle on the server's disk before the manager reads it: a regular file (a FIFO would
 * block the open, a folder cannot be read) whose manifest is within the limits. Opened
 * non-blocking, so a FIFO swapped in after `realpath` cannot hang the request either.
 */
export async function peekBundleFile(path: string, limits: Required<BundleManifestLimits>): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => null);
  if (!handle) throw new HttpError('NOT_FOUND', 'No bundle at that path in the allowed folders');
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new HttpError('INVALID_INPUT', `That path is a ${stats.isDirectory() ? 'folder' : 'special file'}, not a bundle: a bundle is a regular .tar file.`, []);
    }
    const peek = await createManifestPeek(limits);
    try {
      const buffer = Buffer.alloc(256 * 1024);
      for (let position = 0; !peek.decided; ) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        peek.write(Buffer.from(buffer.subarray(0, bytesRead)));
        peek.check();
      }
      await peek.end();
    } finally {
      peek.destroy();
    }
  } finally {
    await handle.close();
  }
}
