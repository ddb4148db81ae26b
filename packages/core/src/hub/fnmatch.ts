import { compileGlob, type CompiledGlob } from './compileGlob.js';

/**
 * Python's `fnmatch.fnmatchcase` as huggingface_hub uses it for allow/ignore patterns:
 * `*` matches anything including `/`, `?` one character, `[seq]` / `[!seq]` a class.
 * Patterns ending in `/` match everything below that folder (`_add_wildcard_to_directories`).
 */

/** Compiled patterns kept for `fnmatch` calls; bounded by count and by table size, least recently used out first. */
export const GLOB_CACHE_LIMITS = { entries: 256, weight: 1 << 20 } as const;

const cache = new Map<string, CompiledGlob>();
let cacheWeight = 0;

function cachedGlob(pattern: string): CompiledGlob {
  const hit = cache.get(pattern);
  if (hit) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const glob = compileGlob(pattern);
  cache.set(pattern, glob);
  cacheWeight += glob.weight;
  for (const [key, old] of cache) {
    if (cache.size <= GLOB_CACHE_LIMITS.entries && cacheWeight <= GLOB_CACHE_LIMITS.weight) break;
    if (old === glob) break;
    cache.delete(key);
    cacheWeight -= old.weight;
  }
  return glob;
}

/** How many compiled patterns the cache holds now (for tests of its bound). */
export function globCacheSize(): number {
  return cache.size;
}

export function fnmatch(name: string, pattern: string): boolean {
  return cachedGlob(pattern).match(name);
}

function compilePatterns(patterns: readonly string[] | undefined): CompiledGlob[] {
  return (patterns ?? []).map((p) => {
    const q = p.replace(/\\/g, '/');
    return cachedGlob(q.endsWith('/') ? `${q}*` : q);
  });
}

/** huggingface_hub's `filter_repo_objects`: kept iff (no allow list or any allow matches) and no ignore matches. */
export function filterRepoPaths<T>(
  items: readonly T[],
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
  key: (item: T) => string,
): T[] {
  const allow = compilePatterns(include);
  const ignore = compilePatterns(exclude);
  return items.filter((item) => {
    const path = key(item).replace(/\\/g, '/');
    if (allow.length > 0 && !allow.some((g) => g.match(path))) return false;
    if (ignore.length > 0 && ignore.some((g) => g.match(path))) return false;
    return true;
  });
}
