import { describe, expect, it } from 'vitest';
import { isPersianHubError } from '../PersianHubError.js';
import { PATTERN_LIMITS, inputSchemas, parseOrThrow } from './validateInput.js';

const downloadRequestSchema = inputSchemas().downloadRequest;

function errorOf(value: unknown): { code: string; message: string } {
  try {
    parseOrThrow(downloadRequestSchema, value, 'download request');
  } catch (error) {
    if (isPersianHubError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected INVALID_INPUT');
}

describe('include/exclude bounds', () => {
  it('refuses a pattern over the length limit, saying the limit and where', () => {
    const e = errorOf({ repoId: 'org/name', include: ['ok', 'p'.repeat(PATTERN_LIMITS.length + 1)] });
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe('Invalid download request: include.1: expected a glob pattern of at most 200 characters');
  });

  it('refuses a list over the count limit', () => {
    const e = errorOf({ repoId: 'org/name', exclude: Array.from({ length: PATTERN_LIMITS.count + 1 }, (_, i) => `f${i}`) });
    expect(e).toEqual({ code: 'INVALID_INPUT', message: 'Invalid download request: exclude: expected at most 100 glob patterns' });
  });

  it('refuses empty patterns and non-strings', () => {
    expect(errorOf({ repoId: 'org/name', include: [''] }).message).toMatch(/include\.0: expected a non-empty glob pattern$/);
    expect(errorOf({ repoId: 'org/name', include: [1] }).message).toMatch(/include\.0: expected a glob pattern string$/);
    expect(errorOf({ repoId: 'org/name', include: '*.bin' }).message).toMatch(/include: expected a list of glob patterns$/);
  });

  it('accepts lists at the limits', () => {
    const full = Array.from({ length: PATTERN_LIMITS.count }, (_, i) => `${'*?'.repeat(90)}${i}`);
    expect(parseOrThrow(downloadRequestSchema, { repoId: 'org/name', include: full }, 'download request').include).toHaveLength(100);
  });
});
