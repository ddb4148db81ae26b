import { createHash } from 'node:crypto';
import { pack } from 'tar-stream';

export interface TarEntry {
  readonly name: string;
  readonly body: Buffer;
}

/** A tar of exactly these entries, in order (the test builds hostile bundles with it). */
export async function makeTar(entries: readonly TarEntry[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (chunk) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    tar.on('end', () => resolve());
    tar.on('error', reject);
  });
  for (const entry of entries) tar.entry({ name: entry.name, size: entry.body.length }, entry.body);
  tar.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/** git's blob sha1: what a regular (non-LFS) file of a bundle is checked against. */
export function gitBlobSha1(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A manifest listing `files` regular files, each holding `content`, at the paths given. */
export function manifestOf(paths: readonly string[], content: Buffer, repoId = 'test/hostile'): Buffer {
  const sha = gitBlobSha1(content);
  return Buffer.from(
    JSON.stringify({
      format: 'persian-hub-bundle',
      formatVersion: 1,
      tool: { name: 'test', version: '1' },
      createdAt: new Date().toISOString(),
      repoId,
      repoType: 'model',
      revision: 'main',
      commit: 'c'.repeat(40),
      catalogId: null,
      files: paths.map((path) => ({ path, size: content.length, lfs: false, gitOid: sha, etag: sha })),
      otherFiles: [],
    }),
  );
}
