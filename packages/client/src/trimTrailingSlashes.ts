/**
 * `https://host/api///` → `https://host/api`. A loop, not `/\/+$/`: V8 retries that RegExp from
 * every slash, so a long run of slashes inside a string costs quadratic time.
 */
export function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end--;
  return value.slice(0, end);
}
