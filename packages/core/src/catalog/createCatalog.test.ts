import { describe, expect, it } from 'vitest';
import { isPersianHubError, PersianHubError } from '../PersianHubError.js';
import type { CatalogEntry } from '../types.js';
import { catalog, createCatalog, persianHubCatalog } from './createCatalog.js';
import { persianCatalog } from './persianCatalog.js';

const ids = (entries: readonly CatalogEntry[]) => entries.map((entry) => entry.id);

function validEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'test-entry',
    repoId: 'org/some-model',
    repoType: 'model',
    kind: 'model',
    revision: 'main',
    include: [],
    exclude: [],
    sizeBytes: 1000,
    license: 'apache-2.0',
    commercialUse: true,
    gated: false,
    name: { fa: 'مدل آزمایشی', en: 'Test model' },
    description: { fa: 'برای آزمون', en: 'For tests' },
    tags: ['test'],
    homepage: 'https://huggingface.co/org/some-model',
    provider: 'org',
    ...overrides,
  };
}

function catchError(run: () => unknown): PersianHubError {
  try {
    run();
  } catch (error) {
    if (isPersianHubError(error)) return error;
    throw error;
  }
  throw new Error('expected a PersianHubError');
}

describe('persianHubCatalog search', () => {
  it('lists every entry in catalog order without a filter', () => {
    expect(ids(persianHubCatalog.list())).toEqual(ids(persianCatalog));
    expect(ids(persianHubCatalog.list({}))).toEqual(ids(persianCatalog));
    expect(catalog).toBe(persianHubCatalog);
  });

  it('finds the voices by «صدای», typed with Persian or Arabic yeh', () => {
    const expected = ['kamtera-tts-male-vits', 'kamtera-tts-female-vits', 'piper-fa-amir-medium', 'piper-fa-gyro-medium'];
    expect(ids(persianHubCatalog.list({ query: 'صدای' }))).toEqual(expected);
    expect(ids(persianHubCatalog.list({ query: 'صداي' }))).toEqual(expected);
  });

  it('matches Arabic kaf and yeh variants of Persian words', () => {
    const persian = ids(persianHubCatalog.list({ query: 'کوچک' }));
    expect(persian).toContain('parsinlu-mt5-small-qa');
    expect(persian).toContain('hezar-whisper-small-fa');
    expect(ids(persianHubCatalog.list({ query: 'كوچك' }))).toEqual(persian);
    expect(ids(persianHubCatalog.list({ query: 'فارسي' }))).toEqual(ids(persianHubCatalog.list({ query: 'فارسی' })));
  });

  it('matches with and without ZWNJ', () => {
    const withZwnj = ids(persianHubCatalog.list({ query: 'پارس\u200Cبرت' }));
    expect(withZwnj).toEqual(['hooshvare-bert-fa-zwnj-base', 'hooshvare-bert-fa-base-uncased']);
    expect(ids(persianHubCatalog.list({ query: 'پارسبرت' }))).toEqual(withZwnj);
    expect(ids(persianHubCatalog.list({ query: 'پارس برت' }))).toEqual(withZwnj);
    expect(ids(persianHubCatalog.list({ query: 'نیم‌فاصله' }))).toEqual(['hooshvare-bert-fa-zwnj-base']);
  });

  it('searches English words, repo ids and providers case-insensitively', () => {
    expect(ids(persianHubCatalog.list({ query: 'piper' }))).toEqual(['piper-fa-amir-medium', 'piper-fa-gyro-medium']);
    expect(ids(persianHubCatalog.list({ query: 'BERT' }))).toEqual(
      expect.arrayContaining(['hooshvare-bert-fa-zwnj-base', 'hooshvare-bert-fa-base-uncased', 'tooka-sbert']),
    );
    expect(ids(persianHubCatalog.list({ query: 'hooshvare' }))).toEqual([
      'hooshvare-bert-fa-zwnj-base',
      'hooshvare-bert-fa-base-uncased',
      'pn-summary',
    ]);
    expect(ids(persianHubCatalog.list({ query: 'rhasspy/piper-voices amir' }))).toEqual(['piper-fa-amir-medium']);
  });

  it('filters by kind, alone and with a query', () => {
    const tts = persianHubCatalog.list({ kind: 'tts' });
    expect(tts.length).toBe(4);
    expect(tts.every((entry) => entry.kind === 'tts')).toBe(true);
    expect(ids(persianHubCatalog.list({ kind: 'tts', query: 'زن' }))).toEqual(['kamtera-tts-female-vits']);
    expect(ids(persianHubCatalog.list({ kind: 'asr', query: 'ويسپر' }))).toEqual(['whisper-large-fa-v1', 'hezar-whisper-small-fa']);
    expect(ids(persianHubCatalog.list({ kind: 'dataset', query: 'parsinlu' }))).toEqual([
      'parsinlu-reading-comprehension',
      'parsinlu-translation-en-fa',
    ]);
  });

  // Every query the UI review (issue 13) found returning nothing, on the real catalog.
  it.each([
    ['پارس برت', ['hooshvare-bert-fa-zwnj-base', 'hooshvare-bert-fa-base-uncased']],
    ['خلاصه سازی', ['pn-summary']],
    ['کامن ویس 13', ['common-voice-13-fa']],
    ['whisper persian', ['whisper-large-fa-v1', 'hezar-whisper-small-fa']],
    ['llama 8b', ['dorna-llama3-8b-q4km']],
  ])('finds %s', (query, expected) => {
    expect(ids(persianHubCatalog.list({ query }))).toEqual(expected);
  });

  it('finds what a kind filter shows by the filter\'s own label («دیتاست», «تشخیص گفتار»)', () => {
    const datasets = ids(persianHubCatalog.list({ kind: 'dataset' }));
    expect(ids(persianHubCatalog.list({ query: 'دیتاست' }))).toEqual(datasets);
    const speech = ids(persianHubCatalog.list({ query: 'تشخیص گفتار' }));
    // The two ASR models, and Common Voice, a speech dataset tagged `asr`.
    expect(speech).toEqual(['whisper-large-fa-v1', 'hezar-whisper-small-fa', 'common-voice-13-fa']);
  });

  it('returns nothing when no entry matches, and treats a blank query as no query', () => {
    expect(persianHubCatalog.list({ query: 'نهنگ-ناموجود' })).toEqual([]);
    expect(persianHubCatalog.list({ kind: 'llm', query: 'piper' })).toEqual([]);
    expect(persianHubCatalog.list({ query: '  \u200C ' })).toHaveLength(persianCatalog.length);
  });

  it('rejects an unknown kind with INVALID_INPUT', () => {
    const error = catchError(() => persianHubCatalog.list({ kind: 'vocoder' as never }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('"vocoder"');
  });

  it('gets entries by id and hands out frozen entries', () => {
    const entry = persianHubCatalog.get('dorna-llama3-8b-q4km');
    expect(entry?.include).toEqual(['dorna-llama3-8b-instruct.Q4_K_M.gguf']);
    expect(persianHubCatalog.get('nope')).toBeUndefined();
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry?.name)).toBe(true);
    expect(Object.isFrozen(persianHubCatalog.entries)).toBe(true);
  });
});

describe('createCatalog validation', () => {
  it('accepts valid entries', () => {
    const custom = createCatalog([validEntry(), validEntry({ id: 'second', kind: 'tts' })]);
    expect(ids(custom.list({ kind: 'tts' }))).toEqual(['second']);
  });

  it('rejects a repo id with ".." and names the entry and field', () => {
    const error = catchError(() => createCatalog([validEntry(), validEntry({ id: 'bad-repo', repoId: 'org/a..b' })]));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('entry #1 (id "bad-repo") repoId');
    expect(error.message).toContain('without "--" or ".."');
    expect(error.message).toContain('"org/a..b"');
    expect(error.details['issues']).toEqual([
      expect.objectContaining({ index: 1, id: 'bad-repo', path: 'repoId' }),
    ]);
  });

  it('rejects a missing Persian name', () => {
    const error = catchError(() => createCatalog([validEntry({ name: { en: 'Only English' } })]));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('entry #0 (id "test-entry") name.fa');
    expect(error.message).toContain('expected Persian (fa) name as a string, got nothing (the field is missing)');
  });

  it('rejects a blank Persian name', () => {
    const error = catchError(() => createCatalog([validEntry({ name: { fa: '  ', en: 'x' } })]));
    expect(error.message).toContain('name.fa: expected a non-empty Persian (fa) name');
  });

  it('rejects duplicate ids, pointing at the first use', () => {
    const error = catchError(() => createCatalog([validEntry(), validEntry({ id: 'other' }), validEntry()]));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('entry #2 (id "test-entry") id: expected a unique id, got "test-entry", which entry #0 already uses');
  });

  it('reports every problem of every entry in one error', () => {
    const error = catchError(() =>
      createCatalog([
        validEntry({ id: 'Bad Id', sizeBytes: -1 }),
        validEntry({ id: 'ok-entry' }),
        validEntry({ id: 'nc', license: 'cc-by-nc-4.0', commercialUse: true, homepage: 'http://example.com' }),
        'not an object',
      ]),
    );
    expect(error.message).toMatch(/^Invalid catalog \(5 problems\):/);
    expect(error.message).toContain('entry #0 (id "Bad Id") id: expected a slug');
    expect(error.message).toContain('entry #0 (id "Bad Id") sizeBytes: expected a non-negative number of bytes, got the number -1');
    expect(error.message).toContain('entry #2 (id "nc") homepage: expected an https:// URL, got "http://example.com"');
    expect(error.message).toContain('entry #2 (id "nc") commercialUse: expected false for the non-commercial license "cc-by-nc-4.0"');
    expect(error.message).toContain('entry #3: expected a catalog entry object, got "not an object"');
    expect(error.message).not.toContain('ok-entry');
  });

  it('rejects unknown keys, so typos do not slip through', () => {
    const error = catchError(() => createCatalog([validEntry({ licence: 'mit' })]));
    expect(error.message).toContain('unknown key(s) "licence"');
  });

  it.each([
    ['org/name.git', 'not ending in ".git"'],
    ['org/a--b', 'without "--"'],
    ['no-namespace', 'Hub repo id "org/name"'],
    ['a/b/c', 'Hub repo id "org/name"'],
    [`org/${'x'.repeat(97)}`, 'Hub repo id "org/name"'],
  ])('rejects repo id %s', (repoId, fragment) => {
    const error = catchError(() => createCatalog([validEntry({ repoId })]));
    expect(error.message).toContain(fragment);
  });

  it.each([
    ['revision', '', 'non-empty revision'],
    ['revision', 'a..b', 'without ".."'],
    ['revision', 'x'.repeat(201), 'at most 200'],
    ['include', [''], 'include.0: expected a non-empty fnmatch pattern'],
    ['exclude', ['x'.repeat(201)], 'exclude.0: expected an fnmatch pattern of at most 200 characters'],
    ['include', Array.from({ length: 101 }, (_, i) => `f${i}`), 'include: expected at most 100 fnmatch patterns'],
    ['sizeBytes', 1.5, 'whole number of bytes'],
    ['license', 'Apache 2.0', 'lower-case Hub license id'],
    ['kind', 'vocoder', 'one of tts, asr, llm, model, embedding, dataset'],
  ])('rejects %s = %j', (field, value, fragment) => {
    const error = catchError(() => createCatalog([validEntry({ [field]: value })]));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(fragment);
  });

  it('rejects a non-array', () => {
    const error = catchError(() => createCatalog({} as never));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('expected an array of entries, got an object');
  });
});
