// Browser only: never import node:* here or below.
export * from './components/index.js';
export * from './i18n/index.js';
export * from './format/index.js';
export * from './data.js';
export { ModelHub, type ModelHubProps } from './ModelHub.js';
export type {
  AvailableModel,
  CatalogEntry,
  CatalogKind,
  FileSnapshot,
  InstalledSnapshot,
  JobSnapshot,
  PersianHubErrorCode,
} from '@persian-hub/client';
