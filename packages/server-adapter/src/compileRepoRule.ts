import type { MirrorRepo, MirrorRepoRule } from './HubMirrorOptions.js';

const ENTRY = /^(?:(model|dataset|space):)?(\*|[\w.-]{1,96}\/\*|[\w.-]{1,96}\/[\w.-]{1,96})$/;

/**
 * Turns a policy rule into a test. Entries are checked once, here, so a typo fails at startup
 * instead of silently serving nothing: `'*'`, `'org/*'`, `'org/name'`, optionally with `model:`,
 * `dataset:` or `space:` in front. Matching is a comparison per entry (no pattern engine).
 */
export function compileRepoRule(rule: MirrorRepoRule | undefined, fallback: boolean, name: string): (repo: MirrorRepo) => boolean {
  if (rule === undefined) return () => fallback;
  if (typeof rule === 'function') return (repo) => rule(repo) === true;
  if (!Array.isArray(rule)) throw new TypeError(`${name} must be a list of repo patterns or a function`);
  const entries = rule.map((entry: unknown) => {
    const m = typeof entry === 'string' ? ENTRY.exec(entry) : null;
    if (!m) {
      throw new TypeError(`${name}: ${JSON.stringify(entry)} is not a repo pattern (use "*", "org/*" or "org/name", optionally after "model:", "dataset:" or "space:")`);
    }
    return { type: m[1], pattern: m[2]! };
  });
  return (repo) =>
    entries.some(({ type, pattern }) => {
      if (type !== undefined && type !== repo.repoType) return false;
      if (pattern === '*') return true;
      if (pattern.endsWith('/*')) return repo.repoId.startsWith(pattern.slice(0, -1));
      return repo.repoId === pattern;
    });
}
