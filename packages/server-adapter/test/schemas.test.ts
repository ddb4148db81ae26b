import { describe, expect, it } from 'vitest';
import { catalogIdSchema, jobIdSchema, parseStartBody, repoIdSchema, revisionSchema } from '../src/schemas.js';

describe('repoIdSchema follows the Hub rules', () => {
  it.each([
    'HooshvareLab/bert-fa-base-uncased',
    'openai/whisper-large-v3',
    'facebook/mms-tts-fas',
    'rhasspy/piper-voices',
    'a/b',
    'org_1/model.v2',
    `org/${'n'.repeat(96)}`,
  ])('accepts %s', (id) => {
    expect(repoIdSchema.safeParse(id).success).toBe(true);
  });

  it.each([
    '../etc',
    'a/b/c',
    'name',
    '/name',
    'org/',
    'a--b/c',
    'a/b--c',
    'a/b..c',
    'org/name.git',
    'org/-name',
    'org/name-',
    'org/na me',
    'org/نام',
    `org/${'n'.repeat(97)}`,
  ])('rejects %s', (id) => {
    expect(repoIdSchema.safeParse(id).success).toBe(false);
  });
});

describe('other ids', () => {
  it('catalog ids are lower-case slugs of 2–63 chars', () => {
    for (const ok of ['piper-fa-amir', 'x1', 'a'.repeat(63)]) expect(catalogIdSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['-x', 'a', 'Piper', 'a_b', 'a'.repeat(64), 'a/b']) expect(catalogIdSchema.safeParse(bad).success).toBe(false);
  });

  it('job ids are checked by shape', () => {
    for (const ok of ['job-1', '0f8fad5b-d9cb-469f-a165-70867728950e', 'V1StGXR8_Z5jdHi6B-myT']) {
      expect(jobIdSchema.safeParse(ok).success).toBe(true);
    }
    for (const bad of ['', '..', 'a/b', 'a b', 'x'.repeat(129)]) expect(jobIdSchema.safeParse(bad).success).toBe(false);
  });

  it('revisions accept branches, tags, refs and commits but no ".."', () => {
    for (const ok of ['main', 'v1.0', 'refs/pr/1', 'a'.repeat(40)]) expect(revisionSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['', '..', 'a/../b', 'a b', '-x', '/x', 'x'.repeat(201), 'a\nb']) {
      expect(revisionSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('parseStartBody', () => {
  it('treats an id with "/" as a Hub repo and anything else as a catalog id', () => {
    expect(parseStartBody({ id: 'piper-fa-amir' }).success).toBe(true);
    expect(parseStartBody({ id: 'org/name', include: ['*.onnx'] }).success).toBe(true);
    expect(parseStartBody({ id: 'piper-fa-amir', include: ['*.onnx'] }).success).toBe(false);
    expect(parseStartBody(undefined).success).toBe(false);
  });
});

describe('include/exclude bounds', () => {
  const messages = (body: unknown) => {
    const r = parseStartBody(body);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('says how long a pattern and how long a list may be', () => {
    expect(messages({ id: 'org/name', include: ['p'.repeat(201)] })).toEqual(['include.0: A glob pattern can be at most 200 characters long']);
    expect(messages({ id: 'org/name', exclude: Array.from({ length: 101 }, (_, i) => `f${i}`) })).toEqual(['exclude: At most 100 glob patterns are allowed']);
    expect(messages({ id: 'org/name', include: [''] })).toEqual(['include.0: A glob pattern cannot be empty']);
    expect(messages({ id: 'org/name', include: [7] })).toEqual(['include.0: Expected a glob pattern string']);
  });

  it('accepts the largest allowed lists, including the pathological pattern of issue 10', () => {
    const pathological = `${'*?'.repeat(99)}Z`;
    expect(messages({ id: 'org/name', include: Array.from({ length: 100 }, () => pathological), exclude: ['p'.repeat(200)] })).toEqual([]);
  });
});
