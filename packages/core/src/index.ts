export * from './PersianHubError.js';
export type * from './types.js';
