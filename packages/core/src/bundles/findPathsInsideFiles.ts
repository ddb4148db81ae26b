/**
 * For each path that lies inside another listed path (`a/b` when `a` is listed too: one of them
 * would have to be a folder), its index and the outermost such path. Testing every prefix of
 * every path costs the square of a path's length (a 4 MB manifest of `a/a/a/…` paths took 20 s);
 * instead the paths are sorted with `/` as the smallest character, so everything inside a path
 * follows it directly, and one pass with a stack of enclosing paths finds them.
 */
export function findPathsInsideFiles(paths: readonly string[]): Array<{ readonly index: number; readonly inside: string }> {
  // NUL never occurs in a repo path (safeSegments refuses it) and sorts before every other character.
  const order = paths.map((p, index) => ({ key: p.split('/').join('\0'), index }));
  order.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  const found: Array<{ index: number; inside: string }> = [];
  const enclosing: Array<{ key: string; index: number }> = [];
  for (const entry of order) {
    while (enclosing.length > 0 && !isInside(entry.key, enclosing[enclosing.length - 1]!.key)) enclosing.pop();
    if (enclosing.length > 0) found.push({ index: entry.index, inside: paths[enclosing[0]!.index]! });
    enclosing.push(entry);
  }
  return found.sort((a, b) => a.index - b.index);
}

function isInside(key: string, parent: string): boolean {
  return key.length > parent.length && key.charCodeAt(parent.length) === 0 && key.startsWith(parent);
}
