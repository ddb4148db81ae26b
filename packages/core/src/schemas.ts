// `@persian-hub/core/schemas`: the zod schemas core validates with, for hosts that want to check
// input the same way (a form, their own routes). A subpath of its own: importing it loads zod,
// which `@persian-hub/core` itself only does at the first validation.
import { bundleManifestSchemas } from './bundles/bundleManifest.js';
import { catalogEntrySchema as buildCatalogEntrySchema } from './catalog/catalogEntrySchema.js';
import { inputSchemas } from './manager/validateInput.js';

const input = inputSchemas();

/** A Hub repo id `org/name` (huggingface_hub's `validate_repo_id`, namespace required). */
export const repoIdSchema = input.repoId;
/** A branch, tag, `refs/...` name or commit. */
export const revisionSchema = input.revision;
/** One include/exclude glob pattern (`fnmatch`, at most `PATTERN_LIMITS.length` characters). */
export const patternSchema = input.pattern;
/** What `manager.start({ ... })` accepts for a Hub repo. */
export const downloadRequestSchema = input.downloadRequest;
/** One curated catalog entry (strict: unknown keys are errors). */
export const catalogEntrySchema = buildCatalogEntrySchema();
/** An offline bundle's manifest (`persian-hub-bundle.json`). */
export const bundleManifestSchema = bundleManifestSchemas().manifest;
export { PATTERN_LIMITS } from './manager/validateInput.js';
