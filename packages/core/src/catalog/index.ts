export { CATALOG_KINDS, REPO_TYPES } from './catalogEntrySchema.js';
export type { CatalogEntryInput, CatalogEntryOutput } from './catalogEntrySchema.js';
export { createCatalog, persianHubCatalog, catalog } from './createCatalog.js';
export type { Catalog, CatalogFilter, CatalogIssue } from './createCatalog.js';
export { normalizePersian } from '@persian-hub/client';
export { persianCatalog } from './persianCatalog.js';
