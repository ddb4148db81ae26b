import type { AvailableModel } from '@persian-hub/client';
import type { KindFilter } from '../i18n/Messages.js';

// Arabic and Persian keyboards type different code points for the same letters, and people
// type digits in either script; fold them so «مدل فارسي» finds «مدل فارسی».
export function normalizeSearchText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/[ۀة]/g, 'ه')
    .replace(/[أإآ]/g, 'ا')
    .replace(/[\u064B-\u065F\u0670]/g, '')
    .replace(/[\u200C\u200D\u200E\u200F]/g, ' ')
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every word of the query must appear in the name (both languages), repo id, provider, tags or description. */
export function filterModels(
  models: readonly AvailableModel[],
  query: string,
  kind: KindFilter = 'all',
): AvailableModel[] {
  const words = normalizeSearchText(query).split(' ').filter(Boolean);
  return models.filter((model) => {
    if (kind !== 'all' && model.kind !== kind) return false;
    if (words.length === 0) return true;
    const haystack = normalizeSearchText(
      [
        model.id,
        model.repoId,
        model.provider,
        model.kind,
        model.name.fa,
        model.name.en,
        model.description.fa,
        model.description.en,
        ...model.tags,
      ].join(' '),
    );
    return words.every((word) => haystack.includes(word));
  });
}
