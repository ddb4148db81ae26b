import {
  catalogSearchText,
  createCatalogSearch,
  matchesSearchWords,
  searchWords,
  type AvailableModel,
  type CatalogKind,
  type JobSnapshot,
} from '@persian-hub/client';
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

const modelMaps = new WeakMap<readonly AvailableModel[], ReadonlyMap<string, AvailableModel>>();

/** The live catalog by id, built once per `state.models`: a card finds its own entry in O(1). */
export function selectModelMap(state: PersianHubState): ReadonlyMap<string, AvailableModel> {
  const models = state.models;
  if (!models) return EMPTY_MAP;
  let map = modelMaps.get(models);
  if (!map) modelMaps.set(models, (map = new Map(models.map((m) => [m.id, m]))));
  return map;
}
const EMPTY_MAP: ReadonlyMap<string, AvailableModel> = new Map();

const ACTIVE = new Set<JobSnapshot['status']>(['queued', 'resolving', 'downloading', 'verifying']);

/** Jobs that are moving or waiting to move (not paused, not finished). */
export function selectActiveJobCount(state: PersianHubState): number {
  let n = 0;
  for (const id of state.jobOrder) if (ACTIVE.has(state.jobs[id]?.status as JobSnapshot['status'])) n++;
  return n;
}

/** Whole percent over every active job with a known total; null when none has one. */
export function selectActiveProgress(state: PersianHubState): number | null {
  let done = 0;
  let total = 0;
  for (const id of state.jobOrder) {
    const job = state.jobs[id];
    if (!job || !ACTIVE.has(job.status) || job.bytesTotal === null) continue;
    done += job.bytesDownloaded;
    total += job.bytesTotal;
  }
  return total > 0 ? Math.floor((done / total) * 100) : null;
}

// One search per list: a list from the store keeps its reference until the catalog changes, so
// the search text of each entry is built once, not on every keystroke.
const searches = new WeakMap<readonly AvailableModel[], (filter: { kind?: CatalogKind; query?: string }) => AvailableModel[]>();

/** What the server's `?kind=&q=` does, done locally so typing filters at once (the same search as the server's). */
export function matchesModel(model: AvailableModel, filter: { kind?: CatalogKind; query?: string }): boolean {
  if (filter.kind && model.kind !== filter.kind) return false;
  const words = searchWords(filter.query);
  return words.length === 0 || matchesSearchWords(catalogSearchText(model), words);
}

export function filterModels(
  models: readonly AvailableModel[],
  filter: { kind?: CatalogKind; query?: string },
): readonly AvailableModel[] {
  if (!filter.kind && searchWords(filter.query).length === 0) return models;
  let search = searches.get(models);
  if (!search) searches.set(models, (search = createCatalogSearch(models)));
  return search(filter);
}
