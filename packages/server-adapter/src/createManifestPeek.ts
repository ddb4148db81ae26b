import { BUNDLE_MANIFEST_ENTRY, parseBundleManifest, PersianHubError, type BundleManifest } from '@persian-hub/core';
import { HttpError } from './HttpError.js';

/** How big a bundle manifest the server reads: parsing one costs memory and time per file listed. */
export interface BundleManifestLimits {
  /** Bytes of the manifest entry. @default 8 MiB */
  readonly bytes?: number;
  /** Files the manifest lists, carried and `otherFiles` together. @default 50000 */
  readonly files?: number;
}

export const DEFAULT_BUNDLE_MANIFEST_LIMITS = { bytes: 8 * 1024 * 1024, files: 50_000 } as const;

/** Bytes a tar may hold before its manifest ends (pax or GNU long-name headers), past the manifest itself. */
const HEADER_SLACK = 64 * 1024;

export interface ManifestPeek {
  /** Feeds the next bytes of the bundle; ignored once the manifest is decided. */
  write(chunk: Buffer): void;
  /** Throws the refusal as soon as there is one. */
  check(): void;
  /** The manifest was read or refused: no more bytes are needed. */
  readonly decided: boolean;
  /** The bundle ended: resolves with its manifest or rejects with why it is refused. */
  end(): Promise<BundleManifest>;
  /** Stops reading (the bundle is refused for another reason). */
  destroy(): void;
}

/**
 * Reads a bundle's first tar entry while the bundle streams in, so a bundle whose manifest is too
 * large, lists too many files, names an unsafe path or is not a bundle at all is refused after its
 * first megabytes instead of after 32 GiB. The same tar reader as core's import (tar-stream), so
 * pax and GNU headers mean the same here as there; core checks the whole bundle again on import.
 */
export async function createManifestPeek(limits: Required<BundleManifestLimits>): Promise<ManifestPeek> {
  const { extract } = await import('tar-stream');
  const tar = extract();
  let fed = 0;
  let settled = false;
  let manifest: BundleManifest | undefined;
  let refusal: unknown;
  let wake: (() => void) | undefined;
  const settle = (result: { manifest: BundleManifest } | { error: unknown }) => {
    if (settled) return;
    settled = true;
    if ('manifest' in result) manifest = result.manifest;
    else refusal = result.error;
    tar.destroy();
    wake?.();
  };

  let entrySeen = false;
  tar.on('entry', (header, stream) => {
    entrySeen = true;
    if (header.name !== BUNDLE_MANIFEST_ENTRY || header.type !== 'file') {
      settle({
        error: new PersianHubError(
          'BUNDLE_INVALID',
          `This is not a Persian Hub bundle: its first entry is ${header.type} ${JSON.stringify(header.name.slice(0, 100))}, not ${BUNDLE_MANIFEST_ENTRY}.`,
        ),
      });
      return;
    }
    if (header.size > limits.bytes) {
      settle({
        error: new HttpError('PAYLOAD_TOO_LARGE', `The bundle manifest is ${header.size} bytes; this server reads at most ${limits.bytes}.`, undefined, {
          details: { limit: limits.bytes, manifestBytes: header.size },
        }),
      });
      return;
    }
    const parts: Buffer[] = [];
    stream.on('data', (chunk) => parts.push(chunk as Buffer));
    stream.on('end', () => {
      try {
        settle({ manifest: parseManifest(Buffer.concat(parts), limits) });
      } catch (error) {
        settle({ error });
      }
    });
  });
  tar.on('error', (error: Error) =>
    settle({ error: new PersianHubError('BUNDLE_INVALID', `The bundle is not a valid tar (${error.message}).`, { cause: error }) }),
  );
  // A manifest still streaming out ends with its own 'end' (or the tar's error when truncated).
  tar.on('finish', () => {
    if (!entrySeen) settle({ error: new PersianHubError('BUNDLE_INVALID', 'The bundle is empty.') });
  });
  tar.on('close', () => settle({ error: new PersianHubError('BUNDLE_INVALID', 'The bundle ends inside its manifest.') }));

  return {
    write(chunk) {
      if (settled) return;
      fed += chunk.byteLength;
      if (fed > limits.bytes + HEADER_SLACK + 512) {
        settle({ error: new PersianHubError('BUNDLE_INVALID', `The bundle does not start with its manifest (${BUNDLE_MANIFEST_ENTRY}).`) });
        return;
      }
      tar.write(chunk);
    },
    check() {
      if (refusal !== undefined) throw refusal;
    },
    get decided() {
      return settled;
    },
    async end() {
      if (!settled) {
        const done = new Promise<void>((resolve) => (wake = resolve));
        tar.end(undefined);
        await done;
      }
      if (refusal !== undefined) throw refusal;
      return manifest!;
    },
    destroy() {
      settled = true;
      tar.destroy();
    },
  };
}

function parseManifest(bytes: Buffer, limits: Required<BundleManifestLimits>): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new PersianHubError('BUNDLE_INVALID', 'The bundle manifest is not JSON.');
  }
  // Counted before the schema runs: validating 200,000 entries is the cost being bounded.
  const count = (key: string) => {
    const list = json !== null && typeof json === 'object' ? (json as Record<string, unknown>)[key] : undefined;
    return Array.isArray(list) ? list.length : 0;
  };
  const files = count('files') + count('otherFiles');
  if (files > limits.files) {
    throw new HttpError('PAYLOAD_TOO_LARGE', `The bundle manifest lists ${files} files; this server takes bundles of at most ${limits.files}.`, undefined, {
      details: { limit: limits.files, files },
    });
  }
  return parseBundleManifest(json);
}
