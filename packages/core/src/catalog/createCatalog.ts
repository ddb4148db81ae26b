import { z } from 'zod';
import { PersianHubError } from '../PersianHubError.js';
import type { CatalogEntry, CatalogKind } from '../types.js';
import { CATALOG_KINDS, catalogEntrySchema, describeValue } from './catalogEntrySchema.js';
import { createCatalogSearch } from '@persian-hub/client';
import { persianCatalog } from './persianCatalog.js';

export interface CatalogFilter {
  readonly kind?: CatalogKind;
  /**
   * Free text, Persian or English. Every word must be found in the entry: names, descriptions,
   * tags, repo id, provider or the kind's labels («دیتاست», "speech recognition"), with digits,
   * ZWNJ and spaces folded (`createCatalogSearch` of @persian-hub/client, the one the UI uses).
   */
  readonly query?: string;
}

export interface Catalog {
  /** Entries matching the filter, in catalog order. No filter returns every entry. */
  list(filter?: CatalogFilter): CatalogEntry[];
  get(id: string): CatalogEntry | undefined;
  readonly entries: readonly CatalogEntry[];
}

/** One problem found while validating catalog entries (`details.issues` of the thrown error). */
export interface CatalogIssue {
  readonly index: number;
  /** The entry's id when it had a string one. */
  readonly id: string | null;
  /** Dotted field path inside the entry, e.g. `name.fa`; empty for the entry itself. */
  readonly path: string;
  readonly message: string;
}

const filterSchema = z.strictObject(
  {
    kind: z.enum(CATALOG_KINDS, { error: (i) => `expected kind to be one of ${CATALOG_KINDS.join(', ')}, got ${describeValue(i.input)}` }).optional(),
    query: z.string({ error: (i) => `expected query to be a string, got ${describeValue(i.input)}` }).optional(),
  },
  {
    error: (i) =>
      i.code === 'unrecognized_keys'
        ? `expected only "kind" and "query" in the filter, got ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : `expected a filter object, got ${describeValue(i.input)}`,
  },
);

/**
 * Validates every entry and builds a searchable catalog. All problems are reported at once in
 * one INVALID_INPUT error, so whoever maintains a custom catalog fixes it in one pass.
 */
export function createCatalog(entries: readonly unknown[]): Catalog {
  if (!Array.isArray(entries)) {
    throw new PersianHubError('INVALID_INPUT', `Invalid catalog: expected an array of entries, got ${describeValue(entries)}`, {
      details: { issues: [] },
    });
  }

  const issues: CatalogIssue[] = [];
  const valid: CatalogEntry[] = [];
  const firstIndexById = new Map<string, number>();

  entries.forEach((raw, index) => {
    const rawId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    const id = typeof rawId === 'string' ? rawId : null;
    const result = catalogEntrySchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ index, id, path: issue.path.map(String).join('.'), message: issue.message });
      }
      return;
    }
    const first = firstIndexById.get(result.data.id);
    if (first !== undefined) {
      issues.push({
        index,
        id: result.data.id,
        path: 'id',
        message: `expected a unique id, got "${result.data.id}", which entry #${first} already uses`,
      });
      return;
    }
    firstIndexById.set(result.data.id, index);
    valid.push(deepFreeze(result.data));
  });

  if (issues.length > 0) {
    const lines = issues.map(
      (issue) => `- entry #${issue.index}${issue.id === null ? '' : ` (id "${issue.id}")`}${issue.path ? ` ${issue.path}` : ''}: ${issue.message}`,
    );
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    throw new PersianHubError('INVALID_INPUT', `Invalid catalog (${count}):\n${lines.join('\n')}`, {
      details: { issues },
    });
  }

  const frozen: readonly CatalogEntry[] = Object.freeze(valid);
  const byId = new Map(frozen.map((entry) => [entry.id, entry]));
  // The search text of each entry is built once: list() runs on every keystroke of a search box.
  const search = createCatalogSearch(frozen);

  return {
    entries: frozen,
    get: (id) => byId.get(id),
    list(filter) {
      const parsed = filterSchema.safeParse(filter ?? {});
      if (!parsed.success) {
        const message = parsed.error.issues.map((issue) => issue.message).join('; ');
        throw new PersianHubError('INVALID_INPUT', `Invalid catalog filter: ${message}`, {
          details: { issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) },
        });
      }
      const { kind, query } = parsed.data;
      return search({ ...(kind === undefined ? {} : { kind }), ...(query === undefined ? {} : { query }) });
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The built-in Persian catalog, validated at import time. */
export const persianHubCatalog: Catalog = createCatalog(persianCatalog);
/** Alias of `persianHubCatalog`. */
export const catalog: Catalog = persianHubCatalog;
