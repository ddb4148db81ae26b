// Browser only: never import node:* here or below.
export * from './components/index.js';
export * from './i18n/index.js';
export * from './format/index.js';
export * from './data.js';
export { ModelHub, type ModelHubProps } from './ModelHub.js';
export { LiveModelCard } from './live/LiveModelCard.js';
export { LiveDownloads, useTitleProgress, type LiveDownloadsProps } from './live/LiveDownloads.js';
export type {
  AvailableModel,
  CatalogEntry,
  CatalogKind,
  FileSnapshot,
  InstalledSnapshot,
  JobSnapshot,
  PersianHubErrorCode,
  ServerCapabilities,
} from '@persian-hub/client';
