/**
 * Python's `fnmatch.fnmatchcase` as huggingface_hub uses it for allow/ignore patterns:
 * `*` matches anything including `/`, `?` one character, `[seq]` / `[!seq]` a class.
 * Patterns ending in `/` match everything below that folder (`_add_wildcard_to_directories`).
 */
const cache = new Map<string, RegExp>();

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Port of CPython's `fnmatch.translate` (the parts that matter for case-sensitive matching). */
export function fnmatchToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let out = '';
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i++]!;
    if (c === '*') {
      while (pattern[i] === '*') i++; // collapse runs, as Python does
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < n && pattern[j] !== ']') j++;
      if (j >= n) {
        out += '\\[';
      } else {
        let stuff = pattern.slice(i, j);
        i = j + 1;
        stuff = stuff.replace(/\\/g, '\\\\');
        if (stuff.startsWith('!')) stuff = `^${stuff.slice(1)}`;
        else if (stuff.startsWith('^')) stuff = `\\${stuff}`;
        out += `[${stuff}]`;
      }
    } else {
      out += escapeRegex(c);
    }
  }
  const re = new RegExp(`^(?:${out})$`, 's');
  cache.set(pattern, re);
  return re;
}

export function fnmatch(name: string, pattern: string): boolean {
  return fnmatchToRegExp(pattern).test(name);
}

function normalizePatterns(patterns: readonly string[] | undefined): string[] {
  return (patterns ?? []).map((p) => {
    const q = p.replace(/\\/g, '/');
    return q.endsWith('/') ? `${q}*` : q;
  });
}

/** huggingface_hub's `filter_repo_objects`: kept iff (no allow list or any allow matches) and no ignore matches. */
export function filterRepoPaths<T>(
  items: readonly T[],
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
  key: (item: T) => string,
): T[] {
  const allow = normalizePatterns(include);
  const ignore = normalizePatterns(exclude);
  return items.filter((item) => {
    const path = key(item).replace(/\\/g, '/');
    if (allow.length > 0 && !allow.some((p) => fnmatch(path, p))) return false;
    if (ignore.length > 0 && ignore.some((p) => fnmatch(path, p))) return false;
    return true;
  });
}
