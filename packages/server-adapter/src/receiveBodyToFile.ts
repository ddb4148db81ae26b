import { open, rm, statfs, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PersianHubError } from '@persian-hub/core';
import type { BodyReader } from './createBodyReader.js';
import type { ManifestPeek } from './createManifestPeek.js';
import { tooLarge } from './HttpError.js';

export interface ReceiveBodyOptions {
  /** Created with `wx` and mode 0600; removed again on any failure. */
  readonly file: string;
  /** Largest body in bytes. */
  readonly limit: number;
  /** The Content-Length, when the client sent one. */
  readonly declared: number | null;
  /** Sees the leading bytes and refuses the bundle as early as it can. */
  readonly peek?: ManifestPeek;
}

/**
 * Streams a request body into a file, at most `limit` bytes, and stops reading the moment the
 * body is refused (too large, a refused manifest, a full disk): the rest stays unread and the
 * handler closes the connection after its answer.
 */
export async function receiveBodyToFile(reader: BodyReader, options: ReceiveBodyOptions): Promise<number> {
  const { file, limit, declared, peek } = options;
  if (declared !== null && declared > limit) throw tooLarge(limit, 'The bundle');
  if (declared !== null) await checkFreeSpace(file, declared);
  const out = await open(file, 'wx', 0o600).catch((error: unknown) => {
    throw diskFull(error, declared);
  });
  let size = 0;
  let ok = false;
  try {
    for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) {
      size += chunk.byteLength;
      if (size > limit) throw tooLarge(limit, 'The bundle');
      peek?.write(chunk);
      peek?.check();
      await writeFully(out, chunk).catch((error: unknown) => {
        throw diskFull(error, declared);
      });
    }
    await peek?.end();
    ok = true;
    return size;
  } finally {
    peek?.destroy();
    await out.close();
    if (!ok) await rm(file, { force: true });
  }
}

/** A short write is not an error on its own: it is how a nearly full disk answers. Loop. */
async function writeFully(out: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await out.write(chunk, offset, chunk.byteLength - offset);
    if (bytesWritten === 0) throw Object.assign(new Error('ENOSPC: no space left on device (0 bytes taken)'), { code: 'ENOSPC' });
    offset += bytesWritten;
  }
}

async function checkFreeSpace(file: string, needed: number): Promise<void> {
  const stats = await statfs(dirname(file)).catch(() => null);
  if (!stats) return;
  const available = Number(stats.bavail) * Number(stats.bsize);
  if (needed > available) {
    throw new PersianHubError('DISK_FULL', `The server has ${available} bytes free for uploads; this bundle needs ${needed}.`, {
      details: { requiredBytes: needed, availableBytes: available },
    });
  }
}

/** ENOSPC and friends become DISK_FULL (507); the message never holds the server's paths. */
function diskFull(error: unknown, declared: number | null): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    return new PersianHubError('DISK_FULL', 'The server ran out of disk space while receiving the bundle.', {
      cause: error,
      details: declared !== null ? { requiredBytes: declared } : {},
    });
  }
  return error;
}
