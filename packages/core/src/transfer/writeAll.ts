/** What writeAll needs of a `FileHandle`. */
export interface VectorWriter {
  writev(buffers: Buffer[], position?: number | null): Promise<{ bytesWritten: number }>;
}

/**
 * One writev is not one write: a regular file may take fewer bytes (a full disk); loop. With a
 * `position`, the bytes go there (several connections write one file at their own offsets);
 * without, at the file's current position.
 */
export async function writeAll(fh: VectorWriter, bufs: Buffer[], position?: number): Promise<void> {
  let rest = bufs;
  let at = position;
  while (rest.length > 0) {
    const { bytesWritten } = at === undefined ? await fh.writev(rest) : await fh.writev(rest, at);
    if (at !== undefined) at += bytesWritten;
    let skip = bytesWritten;
    let i = 0;
    while (i < rest.length && skip >= rest[i]!.length) skip -= rest[i++]!.length;
    rest = rest.slice(i);
    if (rest.length > 0 && skip > 0) rest = [rest[0]!.subarray(skip), ...rest.slice(1)];
    if (bytesWritten === 0 && rest.length > 0) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write (0 bytes taken)'), { code: 'ENOSPC' });
    }
  }
}
