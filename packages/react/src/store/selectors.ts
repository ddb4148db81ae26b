import type { AvailableModel, CatalogKind, JobSnapshot } from '@persian-hub/client';
import type { PersianHubState } from './types.js';

// Selectors return the same reference for the same inputs: useSyncExternalStore compares
// snapshots with Object.is and would re-render forever on a fresh array each call.

const jobLists = new WeakMap<object, WeakMap<object, readonly JobSnapshot[]>>();

/** Jobs newest first; the same array until a job or the order changes. */
export function selectJobList(state: PersianHubState): readonly JobSnapshot[] {
  let byOrder = jobLists.get(state.jobs);
  if (!byOrder) jobLists.set(state.jobs, (byOrder = new WeakMap()));
  let list = byOrder.get(state.jobOrder);
  if (!list) {
    list = state.jobOrder.map((id) => state.jobs[id]).filter((j): j is JobSnapshot => j !== undefined);
    byOrder.set(state.jobOrder, list);
  }
  return list;
}

const fold = (s: string) =>
  s
    .toLocaleLowerCase()
    // Arabic and Persian forms of yeh and kaf, and the zero-width non-joiner, should not stop a match.
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/\u200c/g, '')
    .trim();

/** What the server's `?kind=&q=` does, done locally so typing filters at once. */
export function matchesModel(model: AvailableModel, filter: { kind?: CatalogKind; query?: string }): boolean {
  if (filter.kind && model.kind !== filter.kind) return false;
  const query = filter.query ? fold(filter.query) : '';
  if (!query) return true;
  const haystack = [
    model.id,
    model.repoId,
    model.provider,
    model.name.fa,
    model.name.en,
    model.description.fa,
    model.description.en,
    ...model.tags,
  ];
  return haystack.some((field) => fold(field).includes(query));
}

export function filterModels(
  models: readonly AvailableModel[],
  filter: { kind?: CatalogKind; query?: string },
): readonly AvailableModel[] {
  if (!filter.kind && !filter.query?.trim()) return models;
  return models.filter((m) => matchesModel(m, filter));
}
