import type { z } from 'zod';
import { PersianHubError } from '../PersianHubError.js';
import { lazyZod } from '../validation/lazyZod.js';

/**
 * Bounds on include/exclude lists. The matcher is linear in the path, but every file of a tree is
 * tried against every pattern, so the lists stay short (a catalog entry uses a handful).
 */
export const PATTERN_LIMITS = { count: 100, length: 200 } as const;

/** The input schemas, built on first use (zod is loaded then, not at import). */
export const inputSchemas = lazyZod((z) => {
  /** The Hub's repo id rules (huggingface_hub `validate_repo_id`), with the namespace required. */
  const repoId = z
    .string()
    .max(200)
    .regex(/^[\w\-.]{1,96}\/[\w\-.]{1,96}$/, 'expected "org/name" with letters, digits, "-", "_" or "."')
    .refine((s) => !s.includes('--') && !s.includes('..'), 'must not contain "--" or ".."')
    .refine((s) => !s.endsWith('.git'), 'must not end with ".git"')
    .refine((s) => !s.split('/').some((p) => p.startsWith('.') || p.startsWith('-')), 'parts must not start with "." or "-"');

  const revision = z
    .string()
    .min(1)
    .max(200)
    .refine((s) => !s.split('/').some((p) => p === '' || p === '.' || p === '..'), 'must not contain empty, "." or ".." parts')
    .refine((s) => !/[\0\\\s]/.test(s) && !s.startsWith('/'), 'must not contain spaces, backslashes or start with "/"');

  const pattern = z
    .string('expected a glob pattern string')
    .min(1, 'expected a non-empty glob pattern')
    .max(PATTERN_LIMITS.length, `expected a glob pattern of at most ${PATTERN_LIMITS.length} characters`);

  const patternList = z
    .array(pattern, 'expected a list of glob patterns')
    .max(PATTERN_LIMITS.count, `expected at most ${PATTERN_LIMITS.count} glob patterns`);

  const downloadRequest = z
    .object({
      repoId,
      repoType: z.enum(['model', 'dataset']).default('model'),
      revision: revision.default('main'),
      include: patternList.default([]),
      exclude: patternList.default([]),
      localDir: z.string().min(1).max(4096).optional(),
      catalogId: z.string().max(64).optional(),
    })
    .strict();

  return { repoId, revision, pattern, patternList, downloadRequest };
});

export type ParsedDownloadRequest = z.output<ReturnType<typeof inputSchemas>['downloadRequest']>;

/** Throws INVALID_INPUT with each problem spelled out: what was expected, where. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  throw new PersianHubError('INVALID_INPUT', `Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    details: { issues },
  });
}
