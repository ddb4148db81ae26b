import { PATTERN_LIMITS } from '@persian-hub/core';
import { z } from 'zod';

// Hub rules (huggingface_hub's validate_repo_id): word chars, '-' and '.', each part starting
// and ending with a word char, no '--' or '..', not ending in '.git', name at most 96 chars.
const repoPart = (label: string) =>
  z
    .string()
    .regex(/^\w(?:[\w.-]{0,94}\w)?$/, `${label}: 1–96 of [A-Za-z0-9_.-], starting and ending with a letter, digit or _`);

export const repoIdSchema = z
  .string()
  .max(193)
  .refine((s) => s.split('/').length === 2, { message: 'Expected a repo id like "org/name"' })
  .refine((s) => !s.includes('--') && !s.includes('..'), { message: 'A repo id cannot contain "--" or ".."' })
  .refine((s) => !s.endsWith('.git'), { message: 'A repo id cannot end with ".git"' })
  .refine(
    (s) => {
      const [org = '', name = ''] = s.split('/');
      return repoPart('org').safeParse(org).success && repoPart('name').safeParse(name).success;
    },
    { message: 'Expected "org/name", each part 1–96 of [A-Za-z0-9_.-] starting and ending with a letter, digit or _' },
  );

export const catalogIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Expected a catalog id: 2–63 of [a-z0-9-], not starting with "-"');

/** Shape only: the manager decides whether the job exists (404). */
export const jobIdSchema = z.string().regex(/^[\w-]{1,128}$/, 'Expected a job id: 1–128 of [A-Za-z0-9_-]');

// Git ref rules, roughly: no "..", no spaces, control chars or ~^:?*[\ and not starting with "/" or "-".
export const revisionSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !s.includes('..'), { message: 'A revision cannot contain ".."' })
  .refine((s) => !/[\u0000-\u0020\u007f~^:?*[\\]/.test(s) && !/^[/-]/.test(s), {
    message: 'A revision cannot contain spaces, control characters or any of ~^:?*[\\, nor start with "/" or "-"',
  });

export const patternSchema = z
  .string('Expected a glob pattern string')
  .min(1, 'A glob pattern cannot be empty')
  .max(PATTERN_LIMITS.length, `A glob pattern can be at most ${PATTERN_LIMITS.length} characters long`)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'A pattern cannot contain control characters' });

export const patternsSchema = z
  .array(patternSchema, 'Expected a list of glob patterns')
  .max(PATTERN_LIMITS.count, `At most ${PATTERN_LIMITS.count} glob patterns are allowed`);

/**
 * The largest body a valid request can have: `POST /download` with both pattern lists full, every
 * character written as a `\uXXXX` escape (6 bytes), plus room for the id, revision and keys. The
 * default `bodyLimit` is this, so a request the schema accepts never meets 413 first.
 */
export const LARGEST_VALID_BODY = 2 * PATTERN_LIMITS.count * (PATTERN_LIMITS.length * 6 + 3) + 4096;

export const catalogKindSchema = z.enum(['tts', 'asr', 'llm', 'model', 'embedding', 'dataset']);
export const repoTypeSchema = z.enum(['model', 'dataset']);

/** `POST /download` with a catalog id. */
export const startCatalogBodySchema = z.strictObject({ id: catalogIdSchema });

/**
 * `POST /download` with any Hub repo. `localDir` is deliberately absent: a browser never
 * chooses where on the server's disk files go.
 */
export const startRepoBodySchema = z.strictObject({
  id: repoIdSchema,
  repoType: repoTypeSchema.optional(),
  kind: catalogKindSchema.optional(),
  revision: revisionSchema.optional(),
  include: patternsSchema.optional(),
  exclude: patternsSchema.optional(),
});

export type StartCatalogBody = z.infer<typeof startCatalogBodySchema>;
export type StartRepoBody = z.infer<typeof startRepoBodySchema>;
export type StartBody = StartCatalogBody | StartRepoBody;

/** An id containing "/" is a Hub repo, anything else a catalog id (the contract's rule). */
export function parseStartBody(body: unknown) {
  const isRepo =
    typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'string' &&
    (body as { id: string }).id.includes('/');
  return isRepo ? startRepoBodySchema.safeParse(body) : startCatalogBodySchema.safeParse(body);
}

/** `POST /download/:jobId/pause|resume` take no body; an empty object is allowed. */
export const emptyBodySchema = z.strictObject({}).optional();

/** `DELETE /installed/:id`: a catalog id or `org/name`. */
export const installedIdSchema = z.union([catalogIdSchema, repoIdSchema], {
  error: 'Expected a catalog id or "org/name"',
});

/** `GET /models/available?kind=&q=`: empty values mean "no filter"; other parameters are ignored. */
export const availableQuerySchema = z.object({
  kind: z.preprocess((v) => (v === '' ? undefined : v), catalogKindSchema.optional()),
  q: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(200).optional()),
});

/** `?updateRefs=1`: let the bundle move an existing ref; absent or empty means no. */
const flagSchema = z.preprocess((v) => (v === '' ? undefined : v), z.enum(['1', '0', 'true', 'false']).optional()).transform((v) => v === '1' || v === 'true');

/** `POST /bundles/upload?updateRefs=1`: other parameters are ignored. */
export const bundleUploadQuerySchema = z.object({ updateRefs: flagSchema });

/**
 * `POST /bundles/import`: an absolute path to a `.tar` on the server; `updateRefs: true` lets
 * the bundle move an existing ref (main…) to its commit.
 */
export const bundleImportBodySchema = z
  .object({
    updateRefs: z.boolean().optional(),
    path: z
      .string()
      .min(2)
      .max(4096)
      .refine((p) => p.startsWith('/'), 'must be an absolute path')
      .refine((p) => p.endsWith('.tar'), 'must end with .tar')
      .refine((p) => !p.includes('\0'), 'must not contain NUL'),
  })
  .strict();

/** `GET /downloads?files=1`: per-file detail for every job (absent: totals only). */
export const downloadsQuerySchema = z.object({
  files: z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true'),
});

/** `DELETE /downloads?status=finished`: the one set of jobs that may be forgotten at once. */
export const forgetQuerySchema = z.object({ status: z.literal('finished') });
