import { describe, expect, it } from 'vitest';
import { filterRepoPaths, fnmatch } from './fnmatch.js';

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
