/**
 * Column tables as `docker images` and `docker ps` print them: every column
 * but the last padded to its widest cell plus three spaces, at least ten wide.
 *
 * @module
 */

const MIN_WIDTH = 10;
const PADDING = 3;

/** Renders `headers` and `rows` as aligned text, one line each, ending in a newline. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, col) =>
    Math.max(MIN_WIDTH, ...all.map((r) => (r[col] ?? '').length + PADDING)),
  );
  const lines = all.map((r) =>
    r
      .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? MIN_WIDTH)))
      .join('')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** Docker's short form of an ID or digest: the first 12 hex digits, without `sha256:`. */
export function shortId(id: string): string {
  const hex = id.includes(':') ? id.slice(id.indexOf(':') + 1) : id;
  return hex.slice(0, 12);
}

/** Shortens `text` to `max` characters with a trailing `…`, unless `noTrunc`. */
export function ellipsis(text: string, max: number, noTrunc = false): string {
  if (noTrunc || text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The JSON that `docker inspect` prints: an array of objects, indented by four spaces. */
export function renderJson(values: readonly unknown[]): string {
  return `${JSON.stringify(values, null, 4)}\n`;
}
