import { describe, expect, it } from 'vitest';
import { isPersianHubError } from '../PersianHubError.js';
import { MAX_GLOB_LENGTH, compileGlob } from './compileGlob.js';
import { GLOB_CACHE_LIMITS, filterRepoPaths, fnmatch, globCacheSize } from './fnmatch.js';

describe('fnmatch (Python semantics)', () => {
  it.each([
    ['config.json', '*.json', true],
    ['sub/a.json', '*.json', true], // `*` crosses `/`
    ['data/x/y.json', 'data/*.json', true],
    ['data.json', 'data/*.json', false],
    ['model.bin', 'model.?in', true],
    ['model.bin', 'model.[ab]in', true],
    ['model.bin', 'model.[!b]in', false],
    ['Config.json', 'config.json', false], // case-sensitive, like py1's fnmatchcase
    ['a+b(c).txt', 'a+b(c).txt', true], // regex metacharacters are literal
    ['[x', '[x', true], // unterminated class is a literal bracket
    ['fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx', 'fa/fa_IR/amir/medium/*', true],
    ['fa/fa_IR/gyro/medium/fa_IR-gyro-medium.onnx', 'fa/fa_IR/amir/medium/*', false],
  ])('%s ~ %s → %s', (name, pattern, expected) => {
    expect(fnmatch(name, pattern)).toBe(expected);
  });

  it('filters with include and exclude, and a trailing slash means the whole folder', () => {
    const files = ['config.json', 'pytorch_model.bin', 'tf_model.h5', 'onnx/model.onnx', 'onnx/config.json'];
    const id = (s: string) => s;
    expect(filterRepoPaths(files, ['*.json', 'pytorch_model.bin'], [], id)).toEqual([
      'config.json',
      'pytorch_model.bin',
      'onnx/config.json',
    ]);
    expect(filterRepoPaths(files, ['onnx/'], [], id)).toEqual(['onnx/model.onnx', 'onnx/config.json']);
    expect(filterRepoPaths(files, [], ['*.h5', 'onnx/*'], id)).toEqual(['config.json', 'pytorch_model.bin']);
    expect(filterRepoPaths(files, undefined, undefined, id)).toEqual(files);
  });
});

describe('fnmatch limits', () => {
  it('keeps a bounded number of compiled patterns however many it has seen', () => {
    for (let i = 0; i < GLOB_CACHE_LIMITS.entries * 4; i++) expect(fnmatch(`file-${i}.bin`, `file-${i}.*`)).toBe(true);
    expect(globCacheSize()).toBeLessThanOrEqual(GLOB_CACHE_LIMITS.entries);
    expect(globCacheSize()).toBeGreaterThan(0);
  });

  it('keeps the cache within its table budget when patterns are long', () => {
    // 500 different letters: about 1000 intervals of the alphabet × 16 words of state each.
    const long = (i: number) => `${Array.from({ length: 500 }, (_, j) => String.fromCodePoint(0x4e00 + 2 * j)).join('')}${i}`;
    const weight = compileGlob(long(0)).weight;
    expect(weight).toBeGreaterThan(15_000);
    for (let i = 0; i < 200; i++) fnmatch('x', long(i));
    expect(globCacheSize()).toBeLessThanOrEqual(Math.floor(GLOB_CACHE_LIMITS.weight / weight));
  });

  it('refuses a pattern longer than the matcher supports with INVALID_INPUT', () => {
    let caught: unknown;
    try {
      fnmatch('a', 'a'.repeat(MAX_GLOB_LENGTH + 1));
    } catch (error) {
      caught = error;
    }
    expect(isPersianHubError(caught) && caught.code).toBe('INVALID_INPUT');
    expect(String((caught as Error).message)).toMatch(/at most 1024 characters/);
    expect(fnmatch('a'.repeat(MAX_GLOB_LENGTH), 'a'.repeat(MAX_GLOB_LENGTH))).toBe(true);
  });
});

