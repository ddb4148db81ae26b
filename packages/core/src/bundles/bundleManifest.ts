import { createHash, type Hash } from 'node:crypto';
import type { z } from 'zod';
import { PersianHubError } from '../PersianHubError.js';
import { inputSchemas } from '../manager/validateInput.js';
import { lazyZod } from '../validation/lazyZod.js';
import { safeSegments } from '../storage/cacheLayout.js';
import { findPathsInsideFiles } from './findPathsInsideFiles.js';

/** Name of the first tar entry: the manifest, as UTF-8 JSON. */
export const BUNDLE_MANIFEST_ENTRY = 'persian-hub-bundle.json';
/** Every snapshot file travels as `files/<path in repo>`. */
export const BUNDLE_FILES_PREFIX = 'files/';
export const BUNDLE_FORMAT = 'persian-hub-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

/** Bounds that keep a hostile manifest from costing much memory or time. */
export const BUNDLE_LIMITS = {
  /** Bytes of the manifest entry. */
  manifestBytes: 64 * 1024 * 1024,
  /** Files carried by one bundle. */
  files: 200_000,
  /** Entries of `otherFiles`. */
  otherFiles: 200_000,
  /** Characters of one repo path (as `safeSegments`). */
  pathLength: 4096,
} as const;

const HEX40 = /^[0-9a-f]{40}$/;
const HEX64 = /^[0-9a-f]{64}$/;

const UNSAFE_PATH_MESSAGE = 'unsafe path (absolute, "..", ".", empty segment, backslash, NUL, or a control, bidi or invisible character)';

function isSafeRepoPath(p: string): boolean {
  try {
    safeSegments(p);
    return true;
  } catch {
    return false;
  }
}

/** The manifest's schemas, built on first use (zod is loaded then, not at import). */
export const bundleManifestSchemas = lazyZod((z) => {
  const input = inputSchemas();
  const repoPathSchema = z.string().min(1).max(BUNDLE_LIMITS.pathLength).refine(isSafeRepoPath, UNSAFE_PATH_MESSAGE);
  const sizeSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
  const sha1Schema = z.string().regex(HEX40, 'expected 40 lower-case hex characters');
  const sha256Schema = z.string().regex(HEX64, 'expected 64 lower-case hex characters');

  /**
   * One file carried in the bundle. `etag` is the blob name in the cache: the sha256 for LFS
   * files, the git blob sha1 for regular ones. `gitOid` of an LFS file is the git blob sha1 of its
   * LFS pointer (the tree's `oid`/`blob_id`), kept so `trees/<commit>.json` can be rebuilt exactly.
   */
  const bundleFileSchema = z
    .object({
      path: repoPathSchema,
      size: sizeSchema,
      lfs: z.boolean(),
      sha256: sha256Schema.optional(),
      gitOid: sha1Schema.optional(),
      etag: z.string().regex(/^[0-9a-f]{40}$|^[0-9a-f]{64}$/, 'expected a sha1 or sha256 in lower-case hex'),
    })
    .strict()
    .superRefine((f, ctx) => {
      if (f.lfs) {
        if (!f.sha256) ctx.addIssue({ code: 'custom', path: ['sha256'], message: 'an LFS file needs its sha256' });
        else if (f.etag !== f.sha256) ctx.addIssue({ code: 'custom', path: ['etag'], message: 'the etag of an LFS file must be its sha256' });
      } else {
        if (f.sha256 !== undefined) ctx.addIssue({ code: 'custom', path: ['sha256'], message: 'a regular (non-LFS) file carries its git blob sha1, not sha256' });
        if (!f.gitOid) ctx.addIssue({ code: 'custom', path: ['gitOid'], message: 'a regular file needs its git blob sha1' });
        else if (f.etag !== f.gitOid) ctx.addIssue({ code: 'custom', path: ['etag'], message: 'the etag of a regular file must be its git blob sha1' });
      }
    });

  /**
   * A file of the repo at this commit that the bundle does NOT carry (the exporter had it in
   * `trees/<commit>.json` but not in the snapshot). Only used to rebuild the same file list.
   */
  const otherFileSchema = z
    .object({
      path: repoPathSchema,
      size: sizeSchema,
      lfs: z.boolean(),
      sha256: sha256Schema.optional(),
      gitOid: sha1Schema,
    })
    .strict()
    .superRefine((f, ctx) => {
      if (f.lfs !== (f.sha256 !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['sha256'], message: 'sha256 is required for LFS files and refused for regular ones' });
      }
    });

  const bundleManifestSchema = z
    .object({
      format: z.literal(BUNDLE_FORMAT),
      formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
      tool: z.object({ name: z.string().min(1).max(100), version: z.string().min(1).max(100) }).strict(),
      createdAt: z.iso.datetime({ offset: true }),
      repoId: input.repoId,
      repoType: z.enum(['model', 'dataset']),
      /** The revision the snapshot was downloaded as (`main`, `v1.0`, `refs/convert/parquet`), or the commit itself. */
      revision: input.revision,
      commit: sha1Schema,
      catalogId: z.string().min(1).max(64).nullable(),
      files: z.array(bundleFileSchema).min(1).max(BUNDLE_LIMITS.files),
      otherFiles: z.array(otherFileSchema).max(BUNDLE_LIMITS.otherFiles),
    })
    .strict()
    .superRefine((m, ctx) => {
      const seen = new Set<string>();
      const check = (list: ReadonlyArray<{ path: string }>, key: 'files' | 'otherFiles') => {
        list.forEach((f, i) => {
          if (seen.has(f.path)) ctx.addIssue({ code: 'custom', path: [key, i, 'path'], message: `duplicate path "${f.path}"` });
          seen.add(f.path);
        });
      };
      check(m.files, 'files');
      check(m.otherFiles, 'otherFiles');
      // `a` and `a/b` cannot both be files: one would have to be a folder.
      const all: Array<[string, number, string]> = [...m.files.map((f, i) => ['files', i, f.path] as [string, number, string]), ...m.otherFiles.map((f, i) => ['otherFiles', i, f.path] as [string, number, string])];
      for (const { index, inside } of findPathsInsideFiles(all.map(([, , p]) => p))) {
        const [key, i, p] = all[index]!;
        ctx.addIssue({ code: 'custom', path: [key, i, 'path'], message: `"${p}" is inside "${inside}", which is listed as a file` });
      }
    });
  return { bundleFile: bundleFileSchema, otherFile: otherFileSchema, manifest: bundleManifestSchema };
});

type ManifestSchemas = ReturnType<typeof bundleManifestSchemas>;
export type BundleFile = z.output<ManifestSchemas['bundleFile']>;
export type BundleOtherFile = z.output<ManifestSchemas['otherFile']>;
export type BundleManifest = z.output<ManifestSchemas['manifest']>;

export interface BundleProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** Repo path of the file being copied; null before the first and after the last. */
  readonly currentFile: string | null;
}

/**
 * Validates a manifest. A path that would escape the snapshot is UNSAFE_PATH (naming it);
 * anything else is BUNDLE_INVALID, with every problem listed.
 */
export function parseBundleManifest(value: unknown): BundleManifest {
  const r = bundleManifestSchemas().manifest.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  const unsafe = r.error.issues.find((i) => i.message === UNSAFE_PATH_MESSAGE);
  if (unsafe) {
    const file = pathAt(value, unsafe.path);
    throw new PersianHubError('UNSAFE_PATH', `The bundle manifest lists an unsafe path ${JSON.stringify(file)}: refusing the whole bundle.`, {
      details: { file, issues },
    });
  }
  throw new PersianHubError('BUNDLE_INVALID', `The bundle manifest is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    details: { issues },
  });
}

function pathAt(value: unknown, path: readonly PropertyKey[]): string {
  let v: unknown = value;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return typeof v === 'string' ? v.slice(0, 300) : String(v);
}

/** The hash a file's bytes must have: sha256 for LFS files, git blob sha1 (`blob <size>\0` + bytes) otherwise. */
export function contentHasher(lfs: boolean, size: number): Hash {
  return lfs ? createHash('sha256') : createHash('sha1').update(`blob ${size}\0`);
}

/** git blob sha1 of the canonical LFS pointer, the tree `oid` of an LFS file on the Hub. */
export function lfsPointerOid(sha256: string, size: number): string {
  const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
  return createHash('sha1').update(`blob ${Buffer.byteLength(pointer)}\0`).update(pointer).digest('hex');
}

/** `treeCacheJson` input for every file of the repo the manifest knows about. */
export function manifestTreeFiles(m: BundleManifest): Array<{ path: string; size: number; oid: string; lfs: { oid: string; size: number } | null }> {
  const all: Array<{ path: string; size: number; lfs: boolean; sha256?: string | undefined; gitOid?: string | undefined }> = [...m.files, ...m.otherFiles];
  return all.map((f) => ({
    path: f.path,
    size: f.size,
    oid: f.gitOid ?? lfsPointerOid(f.sha256!, f.size),
    lfs: f.lfs ? { oid: f.sha256!, size: f.size } : null,
  }));
}
