/**
 * `Link: <https://…>; rel="next"` → the next URL (same rule as huggingface.js). Parsed by hand:
 * the RegExp it replaces was quadratic on a header of many `<` without `>`.
 */
export function parseNextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  let from = 0;
  for (;;) {
    const open = link.indexOf('<', from);
    if (open === -1) return undefined;
    const close = link.indexOf('>', open + 1);
    if (close === -1) return undefined;
    const target = link.slice(open + 1, close);
    // Parameters run to the next `<` (or the end): `; rel="next"`, maybe among others.
    const nextOpen = link.indexOf('<', close + 1);
    const params = link.slice(close + 1, nextOpen === -1 ? link.length : nextOpen);
    if (/^https?:\/\//.test(target) && /^;\s*rel="next"/.test(params)) return target;
    from = close + 1;
  }
}
