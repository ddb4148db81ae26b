import { createReadStream } from 'node:fs';
import { PersianHubError } from '../PersianHubError.js';
import { assertBundleFile } from './assertBundleFile.js';
import { BUNDLE_LIMITS, BUNDLE_MANIFEST_ENTRY, parseBundleManifest, type BundleManifest } from './bundleManifest.js';

/** Reads only the first entry (the manifest) of a bundle, to show what it holds before importing. */
export async function readBundleManifest(file: string): Promise<BundleManifest> {
  await assertBundleFile(file);
  // Load first: the stream's 'open' / 'error' listeners must be attached in the same tick it is created.
  const { extract: tarExtract } = await import('tar-stream');
  const input = createReadStream(file);
  const extract = tarExtract();
  try {
    const opened = new Promise<void>((resolve, reject) => {
      input.once('open', () => resolve());
      input.once('error', reject);
    });
    await opened.catch((error: NodeJS.ErrnoException) => {
      throw new PersianHubError(error.code === 'ENOENT' ? 'NOT_FOUND' : 'BUNDLE_INVALID', `Cannot read the bundle: ${error.code ?? error.message}.`, { cause: error });
    });
    // pipe() does not pass read errors on: without this a failing read leaves the loop waiting forever.
    input.on('error', (error) => extract.destroy(error));
    input.pipe(extract);
    for await (const entry of extract as AsyncIterable<AsyncIterable<Buffer> & { header: { name: string; size?: number } }>) {
      if (entry.header.name !== BUNDLE_MANIFEST_ENTRY) {
        throw new PersianHubError('BUNDLE_INVALID', `This is not a Persian Hub bundle: its first entry is "${entry.header.name.slice(0, 100)}", not ${BUNDLE_MANIFEST_ENTRY}.`);
      }
      if ((entry.header.size ?? 0) > BUNDLE_LIMITS.manifestBytes) throw new PersianHubError('BUNDLE_INVALID', 'The bundle manifest is too large.');
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c);
      let json: unknown;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        throw new PersianHubError('BUNDLE_INVALID', 'The bundle manifest is not JSON.');
      }
      return parseBundleManifest(json);
    }
    throw new PersianHubError('BUNDLE_INVALID', 'The bundle is empty.');
  } catch (error) {
    if (error instanceof PersianHubError) throw error;
    throw new PersianHubError('BUNDLE_INVALID', `The bundle could not be read: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
  } finally {
    input.destroy();
    extract.destroy();
  }
}
