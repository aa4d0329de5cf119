/**
 * `Link` header paging of the tags list and catalog endpoints.
 *
 * @module
 */

/** The `rel="next"` target of a `Link` header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m !== null && /\brel="?next"?/i.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}
