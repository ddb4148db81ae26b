import type { z } from 'zod';
import { lazyZod } from '../validation/lazyZod.js';
import type { CatalogEntry, CatalogKind, RepoType } from '../types.js';
import { PATTERN_LIMITS } from '../manager/validateInput.js';

/** Short, safe rendering of a rejected value for "expected X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return value.length === 0 ? 'an empty string' : JSON.stringify(shown);
  }
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function expecting(what: string) {
  return { error: (issue: { input?: unknown }) => `expected ${what}, got ${describeValue(issue.input)}` };
}

export const CATALOG_KINDS = ['tts', 'asr', 'llm', 'model', 'embedding', 'dataset'] as const satisfies readonly CatalogKind[];
export const REPO_TYPES = ['model', 'dataset'] as const satisfies readonly RepoType[];

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
// huggingface_hub's validate_repo_id regex, with the namespace made mandatory: catalog entries are
// always `org/name`. JS `\w` is ASCII-only, which is what the Hub accepts in practice.
const REPO_ID = /^\b[\w\-.]+\b\/\b[\w\-.]{1,96}\b$/;
// Lower-case Hub license ids: `apache-2.0`, `cc-by-nc-sa-4.0`, `openrail`, `llama3`, `unknown`.
const LICENSE = /^[a-z0-9][a-z0-9.+-]*$/;

const NON_COMMERCIAL = /(^|-)nc(-|$)/;

/**
 * Validates one curated catalog entry. Strict: unknown keys are errors, so a typo such as
 * `licence` fails loudly instead of being dropped. Built on first use (zod is loaded then, not at
 * import): `catalogEntrySchema().safeParse(entry)`.
 */
export const catalogEntrySchema = lazyZod((z) => {
  const slugSchema = z
    .string(expecting('a slug string'))
    .regex(SLUG, expecting('a slug of 2–63 lower-case letters, digits and dashes, starting with a letter or digit'));

  const repoIdSchema = z
    .string(expecting('a Hub repo id string "org/name"'))
    .regex(REPO_ID, expecting('a Hub repo id "org/name" of letters, digits, "-", "_" and "." (name ≤ 96 chars)'))
    .refine((value) => !value.includes('--') && !value.includes('..'), expecting('a Hub repo id without "--" or ".."'))
    .refine((value) => !value.endsWith('.git'), expecting('a Hub repo id not ending in ".git"'));

  const revisionSchema = z
    .string(expecting('a revision string (branch, tag, refs/... or commit)'))
    .min(1, expecting('a non-empty revision'))
    .max(200, expecting('a revision of at most 200 characters'))
    .refine((value) => !value.includes('..'), expecting('a revision without ".."'));

  const patternSchema = z
    .string(expecting('an fnmatch pattern string'))
    .min(1, expecting('a non-empty fnmatch pattern'))
    .max(PATTERN_LIMITS.length, expecting(`an fnmatch pattern of at most ${PATTERN_LIMITS.length} characters`));

  const patternsSchema = z
    .array(patternSchema, expecting('an array of fnmatch patterns'))
    .max(PATTERN_LIMITS.count, expecting(`at most ${PATTERN_LIMITS.count} fnmatch patterns`));

  const nonEmptyText = (what: string) =>
    z.string(expecting(`${what} as a string`)).trim().min(1, expecting(`a non-empty ${what}`));

  const bilingual = (what: string) =>
    z.strictObject(
      { fa: nonEmptyText(`Persian (fa) ${what}`), en: nonEmptyText(`English (en) ${what}`) },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `expected only "fa" and "en" in ${what}, got extra key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
            : `expected ${what} as { fa, en }, got ${describeValue(issue.input)}`,
      },
    );

  const catalogEntrySchema = z
    .strictObject(
      {
        id: slugSchema,
        repoId: repoIdSchema,
        repoType: z.enum(REPO_TYPES, expecting(`one of ${REPO_TYPES.join(', ')}`)),
        kind: z.enum(CATALOG_KINDS, expecting(`one of ${CATALOG_KINDS.join(', ')}`)),
        revision: revisionSchema,
        include: patternsSchema,
        exclude: patternsSchema,
        sizeBytes: z
          .number(expecting('a size in bytes'))
          .int(expecting('a whole number of bytes'))
          .nonnegative(expecting('a non-negative number of bytes')),
        license: z
          .string(expecting('a Hub license id string'))
          .regex(LICENSE, expecting('a lower-case Hub license id such as "apache-2.0" or "unknown"')),
        commercialUse: z.boolean(expecting('a boolean')),
        gated: z.boolean(expecting('a boolean')),
        name: bilingual('name'),
        description: bilingual('description'),
        tags: z.array(nonEmptyText('tag'), expecting('an array of tags')),
        homepage: z.url({ protocol: /^https$/, ...expecting('an https:// URL') }),
        provider: nonEmptyText('provider'),
        notes: bilingual('notes').optional(),
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `expected only CatalogEntry fields, got unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
            : `expected a catalog entry object, got ${describeValue(issue.input)}`,
      },
    )
    .superRefine((entry, ctx) => {
      // A non-commercial license can never be marked commercial; the reverse (a permissive
      // license marked false because of unclear data provenance) is allowed on purpose.
      // Zod 4 still runs this after non-fatal field issues, so re-check the types it relies on.
      if (entry.commercialUse === true && typeof entry.license === 'string' && NON_COMMERCIAL.test(entry.license)) {
        ctx.addIssue({
          code: 'custom',
          path: ['commercialUse'],
          input: entry.commercialUse,
          message: `expected false for the non-commercial license "${entry.license}", got true`,
        });
      }
    });
  return catalogEntrySchema;
});

/** What `catalogEntrySchema` accepts (before trimming). */
export type CatalogEntryInput = z.input<ReturnType<typeof catalogEntrySchema>>;
/** What `catalogEntrySchema` returns; assignable to `CatalogEntry`. */
export type CatalogEntryOutput = z.output<ReturnType<typeof catalogEntrySchema>>;

// Compile-time guard: the schema's output must stay assignable to the shared contract type.
const _outputIsCatalogEntry = (value: CatalogEntryOutput): CatalogEntry => value;
void _outputIsCatalogEntry;
