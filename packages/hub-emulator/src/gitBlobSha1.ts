import { createHash } from 'node:crypto';

/** Git blob id: `sha1("blob <len>\0" + data)`, the tree `oid` and ETag of a regular (non-LFS) file. */
export function gitBlobSha1(bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return createHash('sha1').update(`blob ${data.byteLength}\0`).update(data).digest('hex');
}
