import { z } from 'zod';
import { repoIdSchema, revisionSchema } from './schemas.js';

export { repoIdSchema as mirrorRepoIdSchema };

/**
 * A revision as the Hub clients send it: a branch, a tag, `refs/convert/parquet`, `refs/pr/1` or a
 * commit. It becomes a path under `refs/`, so every part must be a plain name.
 */
export const mirrorRevisionSchema = revisionSchema.refine((s) => !s.split('/').some((p) => p === '' || p === '.'), {
  message: 'A revision cannot have empty or "." parts',
});

/** A file path inside a repo: relative, `/`-separated, no empty, `.` or `..` parts, no NUL or backslash. */
export const mirrorPathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !/[\u0000-\u001f\u007f\\]/.test(s), { message: 'A path cannot contain control characters or backslashes' })
  .refine((s) => !s.startsWith('/') && !s.split('/').some((p) => p === '' || p === '.' || p === '..'), {
    message: 'A path must be relative, without empty, "." or ".." parts',
  });

/** `true`/`True`/`1` as the Python and JS clients send booleans. */
export const mirrorFlagSchema = z
  .string()
  .optional()
  .transform((v) => v !== undefined && /^(?:true|1)$/i.test(v));

export const mirrorCursorSchema = z
  .string()
  .regex(/^\d{1,9}$/, 'Expected the cursor of a previous page')
  .optional()
  .transform((v) => (v === undefined ? 0 : Number(v)));

/** paths-info, JSON (`@huggingface/hub`) or form-encoded (Python): at most 1000 paths. */
export const mirrorPathsInfoSchema = z.object({
  paths: z.array(z.string().max(4096)).max(1000, 'At most 1000 paths per request'),
  expand: z.union([z.boolean(), z.string().max(5)]).optional(),
});
