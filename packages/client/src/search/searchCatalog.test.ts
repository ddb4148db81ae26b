import { describe, expect, it } from 'vitest';
import type { CatalogKind } from '../types.js';
import { createCatalogSearch, searchCatalog, searchWords, type SearchableEntry } from './searchCatalog.js';

function entry(id: string, kind: CatalogKind, fa: string, en: string, tags: string[] = [], repoId = `org/${id}`): SearchableEntry {
  return { id, repoId, kind, provider: repoId.split('/')[0]!, name: { fa, en }, description: { fa: '', en: '' }, tags };
}

const entries = [
  entry('parsbert', 'model', 'پارس‌برت با پشتیبانی نیم‌فاصله', 'ParsBERT ZWNJ base', ['bert', 'پارس‌برت'], 'HooshvareLab/bert-fa-zwnj-base'),
  entry('pn-summary', 'dataset', 'خلاصه‌سازی اخبار فارسی (pn_summary)', 'Persian news summarization', ['summarization', 'خلاصه‌سازی']),
  entry('whisper-large', 'asr', 'ویسپر بزرگ فارسی', 'Whisper large Persian (vhdm)', ['whisper']),
  entry('common-voice', 'dataset', 'کامن ویس ۱۳ فارسی', 'Common Voice 13 Persian', ['dataset', 'asr', 'parquet']),
  entry('dorna', 'llm', 'درنا؛ گفت‌وگوی فارسی Llama 3 (GGUF)', 'Dorna Llama 3 8B Persian chat (GGUF Q4_K_M)', ['gguf', 'llama'], 'PartAI/Dorna-Llama3-8B-Instruct-GGUF'),
  entry('piper-amir', 'tts', 'صدای فارسی امیر (Piper)', 'Persian voice Amir (Piper)', ['piper', 'onnx'], 'rhasspy/piper-voices'),
  entry('mind', 'llm', 'پرشین‌مایند ۱٫۰', 'PersianMind v1.0', ['llama']),
];
const ids = (list: readonly SearchableEntry[]) => list.map((e) => e.id);
const search = createCatalogSearch(entries);

describe('searchCatalog', () => {
  it('matches a space typed where the name has a ZWNJ, and the other way round', () => {
    expect(ids(search({ query: 'پارس برت' }))).toEqual(['parsbert']);
    expect(ids(search({ query: 'پارس‌برت' }))).toEqual(['parsbert']);
    expect(ids(search({ query: 'خلاصه سازی' }))).toEqual(['pn-summary']);
    expect(ids(search({ query: 'کامنویس' }))).toEqual(['common-voice']);
  });

  it('finds entries by the kind filter labels and their synonyms, in both languages', () => {
    expect(ids(search({ query: 'دیتاست' }))).toEqual(['pn-summary', 'common-voice']);
    expect(ids(search({ query: 'Dataset' }))).toEqual(['pn-summary', 'common-voice']);
    // The speech dataset is tagged `asr`, so it is found by the speech-recognition labels too.
    expect(ids(search({ query: 'تشخیص گفتار' }))).toEqual(['whisper-large', 'common-voice']);
    expect(ids(search({ query: 'speech recognition' }))).toEqual(['whisper-large', 'common-voice']);
    expect(ids(search({ query: 'تبدیل متن به گفتار' }))).toEqual(['piper-amir']);
  });

  it('folds Persian, Arabic-Indic and Latin digits', () => {
    expect(ids(search({ query: 'کامن ویس 13' }))).toEqual(['common-voice']);
    expect(ids(search({ query: 'کامن ویس ١٣' }))).toEqual(['common-voice']);
    expect(ids(search({ query: 'common voice ۱۳' }))).toEqual(['common-voice']);
    expect(ids(search({ query: 'persianmind 1.0' }))).toEqual(['mind']);
  });

  it('matches word by word across names in both languages, tags and the repo id', () => {
    expect(ids(search({ query: 'whisper persian' }))).toEqual(['whisper-large']);
    expect(ids(search({ query: 'persian whisper' }))).toEqual(['whisper-large']);
    expect(ids(search({ query: 'llama 8b' }))).toEqual(['dorna']);
    expect(ids(search({ query: 'ویسپر Persian' }))).toEqual(['whisper-large']);
    expect(ids(search({ query: 'piper voices amir' }))).toEqual(['piper-amir']);
    expect(ids(search({ query: 'rhasspy/piper-voices' }))).toEqual(['piper-amir']);
    expect(ids(search({ query: 'q4_k_m' }))).toEqual(['dorna']);
  });

  it('needs every word: one unknown word finds nothing', () => {
    expect(search({ query: 'whisper llama' })).toEqual([]);
    expect(search({ query: 'پارس نهنگ' })).toEqual([]);
  });

  it('filters by kind with or without a query, and keeps the list order', () => {
    expect(ids(search({ kind: 'llm' }))).toEqual(['dorna', 'mind']);
    expect(ids(search({ kind: 'llm', query: 'llama' }))).toEqual(['dorna', 'mind']);
    expect(ids(search({ kind: 'dataset', query: 'whisper' }))).toEqual([]);
    expect(ids(search({ query: '  \u200C ' }))).toEqual(ids(entries));
    expect(ids(searchCatalog(entries, { query: 'GGUF' }))).toEqual(['dorna']);
  });

  it('bounds the work a query can cause', () => {
    expect(searchWords('a '.repeat(1000))).toHaveLength(16);
    expect(searchWords('x'.repeat(100_000))[0]).toHaveLength(256);
    expect(searchWords(undefined)).toEqual([]);
  });
});
