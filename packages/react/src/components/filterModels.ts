import { normalizePersian, type AvailableModel } from '@persian-hub/client';
import type { KindFilter } from '../i18n/Messages.js';
import { filterModels as filterByKindAndQuery } from '../store/selectors.js';

/** @deprecated The one Persian folding is `normalizePersian` from `@persian-hub/client`; this is it. */
export function normalizeSearchText(text: string): string {
  return normalizePersian(text);
}

/**
 * The catalog search of `@persian-hub/client` (the one the server runs): every word of the query
 * must be found in the names (both languages), descriptions, tags, repo id, provider or the kind's
 * labels, with digits, ZWNJ and spaces folded.
 */
export function filterModels(models: readonly AvailableModel[], query: string, kind: KindFilter = 'all'): AvailableModel[] {
  return [...filterByKindAndQuery(models, { kind: kind === 'all' ? undefined : kind, query })];
}
