/**
 * `@persian-hub/core/client`: the browser-safe types, error codes and guards.
 *
 * @deprecated Import from `@persian-hub/client` instead: it has the same exports (plus the REST/SSE
 * client and `normalizePersian`) and installs without core's Node-only dependencies. This entry
 * stays as a re-export for existing imports.
 */
export * from './PersianHubError.js';
export type * from './types.js';
export { JOB_EVENT_NAMES } from './types.js';
