import { PersianHubError } from '../PersianHubError.js';

/** A full disk while writing one file: DISK_FULL with the file named; anything else as it is. */
export function diskError(error: unknown, file: { readonly path: string; readonly size: number }): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new PersianHubError('DISK_FULL', `The disk filled up while writing ${file.path}.`, {
      cause: error,
      details: { file: file.path, requiredBytes: file.size },
    });
  }
  return error;
}

/**
 * The Hub's listing and its file disagree on the size. Retrying cannot help (the same answer
 * comes back), so this ends the job, with both numbers.
 */
export function sizeMismatch(file: { readonly path: string; readonly size: number }, actual: number): PersianHubError {
  return new PersianHubError(
    'HUB_ERROR',
    `The Hub lists ${file.path} as ${file.size} bytes, but the server sends ${actual}. The repository's listing and its files disagree; try again later or use another endpoint.`,
    { details: { file: file.path, reason: 'SIZE_MISMATCH', expectedBytes: file.size, actualBytes: actual } },
  );
}

/**
 * The work for one file went past its bound: more bytes fetched than the file can need (its size
 * twice, for one re-fetch after a bad hash, plus a margin for bytes lost to dropped connections).
 * A server that sends a short or changing file would otherwise be downloaded again and again.
 */
export function tooMuchData(file: { readonly path: string; readonly size: number }, fetched: number): PersianHubError {
  return new PersianHubError(
    'HUB_ERROR',
    `Gave up on ${file.path}: ${fetched} bytes were fetched for a file of ${file.size} bytes, and it is still not complete. The server keeps sending a different or shorter file.`,
    { details: { file: file.path, reason: 'TOO_MUCH_DATA', expectedBytes: file.size, fetchedBytes: fetched } },
  );
}

/**
 * The last error of a piece that stopped getting anywhere: said plainly when the server kept
 * ending it early (SHORT_BODY), as it does when its file is shorter than the listing.
 */
export function explainShortBody(error: unknown, file: { readonly path: string; readonly size: number }, reached: number, times: number): unknown {
  if (!(error instanceof PersianHubError) || error.details.reason !== 'SHORT_BODY') return error;
  return new PersianHubError(
    'NETWORK',
    `${file.path}: the connection ended at byte ${reached} of ${file.size}, ${times} times without getting further. The server's file may be shorter than the Hub lists it, or something on the way cuts the transfer.`,
    { details: { file: file.path, reason: 'SHORT_BODY', receivedBytes: reached, expectedBytes: file.size } },
  );
}
