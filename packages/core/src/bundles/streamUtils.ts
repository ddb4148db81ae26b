import { isPersianHubError, PersianHubError } from '../PersianHubError.js';

/** The error an aborted signal should surface as. */
export function abortError(signal: AbortSignal): PersianHubError {
  const reason: unknown = signal.reason;
  if (isPersianHubError(reason)) return reason as PersianHubError;
  return new PersianHubError('CANCELLED', 'Cancelled.', { cause: reason });
}

interface EventSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Resolves on `drain`; rejects if the stream errors or closes first (so a dead pipe never hangs us). */
export function waitDrain(stream: EventSource): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onClose = () => {
      cleanup();
      reject(new Error('stream closed'));
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** Maps filesystem errors of the disk we write to onto stable codes; leaves the rest alone. */
export function diskError(error: unknown, what: string): unknown {
  if (isPersianHubError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new PersianHubError('DISK_FULL', `The disk is full while writing ${what}.`, { cause: error });
  }
  if (code === 'EFBIG') {
    return new PersianHubError(
      'DISK_FULL',
      `The target file system cannot hold a file this large while writing ${what} (FAT32 stops at 4 GiB: use exFAT or NTFS).`,
      { cause: error },
    );
  }
  return error;
}
