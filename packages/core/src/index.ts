export * from './PersianHubError.js';
export type * from './types.js';
export { JOB_EVENT_NAMES } from './types.js';
