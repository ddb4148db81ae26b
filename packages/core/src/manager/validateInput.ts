import { z } from 'zod';
import { PersianHubError } from '../PersianHubError.js';

/** The Hub's repo id rules (huggingface_hub `validate_repo_id`), with the namespace required. */
export const repoIdSchema = z
  .string()
  .max(200)
  .regex(/^[\w\-.]{1,96}\/[\w\-.]{1,96}$/, 'expected "org/name" with letters, digits, "-", "_" or "."')
  .refine((s) => !s.includes('--') && !s.includes('..'), 'must not contain "--" or ".."')
  .refine((s) => !s.endsWith('.git'), 'must not end with ".git"')
  .refine((s) => !s.split('/').some((p) => p.startsWith('.') || p.startsWith('-')), 'parts must not start with "." or "-"');

export const revisionSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !s.split('/').some((p) => p === '' || p === '.' || p === '..'), 'must not contain empty, "." or ".." parts')
  .refine((s) => !/[\0\\\s]/.test(s) && !s.startsWith('/'), 'must not contain spaces, backslashes or start with "/"');

/**
 * Bounds on include/exclude lists. The matcher is linear in the path, but every file of a tree is
 * tried against every pattern, so the lists stay short (a catalog entry uses a handful).
 */
export const PATTERN_LIMITS = { count: 100, length: 200 } as const;

export const patternSchema = z
  .string('expected a glob pattern string')
  .min(1, 'expected a non-empty glob pattern')
  .max(PATTERN_LIMITS.length, `expected a glob pattern of at most ${PATTERN_LIMITS.length} characters`);

export const patternListSchema = z
  .array(patternSchema, 'expected a list of glob patterns')
  .max(PATTERN_LIMITS.count, `expected at most ${PATTERN_LIMITS.count} glob patterns`);

export const downloadRequestSchema = z
  .object({
    repoId: repoIdSchema,
    repoType: z.enum(['model', 'dataset']).default('model'),
    revision: revisionSchema.default('main'),
    include: patternListSchema.default([]),
    exclude: patternListSchema.default([]),
    localDir: z.string().min(1).max(4096).optional(),
    catalogId: z.string().max(64).optional(),
  })
  .strict();

export type ParsedDownloadRequest = z.output<typeof downloadRequestSchema>;

/** Throws INVALID_INPUT with each problem spelled out: what was expected, where. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  throw new PersianHubError('INVALID_INPUT', `Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    details: { issues },
  });
}
