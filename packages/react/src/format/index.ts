export { formatNumber, formatPercent, intlLocale } from './formatNumber.js';
export { formatBytes, formatSpeed, formatBytesRange } from './formatBytes.js';
export { formatDuration } from './formatDuration.js';
