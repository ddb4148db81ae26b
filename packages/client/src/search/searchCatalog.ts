import { normalizePersian } from '../normalizePersian.js';
import type { CatalogEntry, CatalogKind } from '../types.js';

/** The fields search reads: a catalog entry, or anything shaped like one (an `AvailableModel`). */
export type SearchableEntry = Pick<CatalogEntry, 'id' | 'repoId' | 'kind' | 'provider' | 'name' | 'description' | 'tags'>;

export interface CatalogSearchFilter {
  readonly kind?: CatalogKind;
  /** Free text, Persian or English; every word must be found somewhere in the entry. */
  readonly query?: string;
}

/**
 * What people type for each kind: the labels UIs show for the kind filter (Persian and English)
 * and their common synonyms. A user who types the filter's own label («دیتاست», «تشخیص گفتار»)
 * must find what the filter would show.
 */
export const CATALOG_KIND_TERMS: { readonly [K in CatalogKind]: readonly string[] } = {
  tts: ['tts', 'text to speech', 'speech synthesis', 'voice', 'تبدیل متن به گفتار', 'متن به گفتار', 'گفتار', 'صدا', 'صوت'],
  // Not "speech to text" / «تبدیل گفتار به متن»: word by word they would also match "text to speech".
  asr: ['asr', 'speech recognition', 'تشخیص گفتار', 'بازشناسی گفتار', 'گفتار به متن'],
  llm: ['llm', 'language model', 'chat', 'مدل زبانی', 'مدل زبانی بزرگ', 'گفت‌وگو'],
  model: ['model', 'nlp', 'مدل', 'پردازش زبان'],
  embedding: ['embedding', 'embeddings', 'sentence embeddings', 'بردارساز', 'بردار معنایی', 'تعبیه'],
  dataset: ['dataset', 'data', 'corpus', 'دیتاست', 'داده', 'مجموعه داده', 'پیکره'],
};

/** A query is cut to this many words: each word costs a scan of every entry. */
const MAX_WORDS = 16;
/** …and to this many characters before it is normalised. */
const MAX_QUERY_LENGTH = 256;

// Separators people type in place of a space and that names contain: "rhasspy/piper-voices",
// "Q4_K_M", «درنا؛ گفت‌وگو», "(GGUF)". Folded to spaces in a second copy of the text.
const PUNCTUATION = /[\s\-_/\\.,;:!?()[\]{}«»"'`|+*=<>~@#$%^&؛،؟٫٬]+/g;

/** Search text of one entry, normalised once and kept: matching runs on every keystroke. */
export interface SearchText {
  /** `normalizePersian` of every searched field. */
  readonly text: string;
  /** The same with punctuation as spaces, so "piper voices" finds "rhasspy/piper-voices". */
  readonly spaced: string;
  /** The same without any space: «پارس برت» finds «پارس‌برت», «کامنویس» finds «کامن ویس». */
  readonly compact: string;
}

/** Folds one string for search (`normalizePersian`, then the three views of it). */
export function toSearchText(raw: string): SearchText {
  const text = normalizePersian(raw);
  const spaced = text.replace(PUNCTUATION, ' ').trim();
  return { text, spaced, compact: spaced.replace(/ /g, '') };
}

const isKind = (tag: string): tag is CatalogKind => Object.hasOwn(CATALOG_KIND_TERMS, tag);

/**
 * Everything an entry is found by: names and descriptions in both languages, tags, the repo
 * id, the catalog id, the provider, and the labels and synonyms of its kind and of any kind it
 * is tagged with (a speech dataset tagged `asr` is found by «تشخیص گفتار» too).
 */
export function catalogSearchText(entry: SearchableEntry): SearchText {
  const kinds = new Set<CatalogKind>([entry.kind, ...entry.tags.filter(isKind)]);
  return toSearchText(
    [
      entry.name.fa,
      entry.name.en,
      entry.description.fa,
      entry.description.en,
      ...entry.tags,
      entry.repoId,
      entry.id,
      entry.provider,
      ...[...kinds].flatMap((kind) => CATALOG_KIND_TERMS[kind] ?? []),
    ].join('\n'),
  );
}

/**
 * The words of a query, folded: Persian or Arabic keyboards, Persian, Arabic-Indic or Latin
 * digits, ZWNJ or a space, upper or lower case all give the same words.
 */
export function searchWords(query: string | undefined): string[] {
  if (!query) return [];
  return toSearchText(query.slice(0, MAX_QUERY_LENGTH))
    .spaced.split(' ')
    .filter(Boolean)
    .slice(0, MAX_WORDS);
}

/** Every word is found in the entry's text (as typed, with punctuation as spaces, or without spaces). */
export function matchesSearchWords(text: SearchText, words: readonly string[]): boolean {
  for (const word of words) {
    if (!text.text.includes(word) && !text.spaced.includes(word) && !text.compact.includes(word)) return false;
  }
  return true;
}

/**
 * A search over a fixed list of entries: the search text of each is built once. Word by word:
 * «خلاصه سازی» finds «خلاصه‌سازی», "whisper persian" finds "Whisper large Persian", «کامن ویس 13»
 * finds «کامن ویس ۱۳», «دیتاست» finds every dataset. Keeps the list's order.
 */
export function createCatalogSearch<T extends SearchableEntry>(entries: readonly T[]): (filter?: CatalogSearchFilter) => T[] {
  const texts = new Map<T, SearchText>();
  const textOf = (entry: T): SearchText => {
    let text = texts.get(entry);
    if (!text) texts.set(entry, (text = catalogSearchText(entry)));
    return text;
  };
  return (filter = {}) => {
    const words = searchWords(filter.query);
    return entries.filter(
      (entry) => (filter.kind === undefined || entry.kind === filter.kind) && (words.length === 0 || matchesSearchWords(textOf(entry), words)),
    );
  };
}

/** One-off search (the search text is built per call; keep a `createCatalogSearch` for lists searched often). */
export function searchCatalog<T extends SearchableEntry>(entries: readonly T[], filter: CatalogSearchFilter = {}): T[] {
  return createCatalogSearch(entries)(filter);
}
