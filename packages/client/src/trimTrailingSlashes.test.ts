import { describe, expect, it } from 'vitest';
import { trimTrailingSlashes } from './trimTrailingSlashes.js';

describe('trimTrailingSlashes', () => {
  it('drops every trailing slash and nothing else', () => {
    expect(trimTrailingSlashes('https://h/api///')).toBe('https://h/api');
    expect(trimTrailingSlashes('/api/sources')).toBe('/api/sources');
    expect(trimTrailingSlashes('///')).toBe('');
    expect(trimTrailingSlashes('')).toBe('');
  });

  it('looks at each character once, however many slashes are inside', () => {
    // The RegExp it replaces retried from every slash: 100k inner slashes took seconds.
    const hostile = `a${'/'.repeat(100_000)}b`;
    let reads = 0;
    const original = String.prototype.charCodeAt;
    String.prototype.charCodeAt = function (this: string, i: number) {
      reads++;
      return original.call(this, i);
    };
    try {
      expect(trimTrailingSlashes(hostile)).toBe(hostile);
    } finally {
      String.prototype.charCodeAt = original;
    }
    expect(reads).toBeLessThanOrEqual(1);
  });
});
