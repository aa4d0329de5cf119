/**
 * The small part of Go templates that `--format` is mostly used with:
 * `{{.Field.Sub}}`, `{{json .Field}}`, `{{.}}` and literal text around them.
 * Anything else is refused rather than guessed at.
 *
 * @module
 */
import { CliError } from '../../errors.js';

const ACTION = /\{\{\s*(.*?)\s*\}\}/g;
const EXPR = /^(json\s+)?(\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?)$/;

function lookup(value: unknown, path: string, template: string): unknown {
  let current = value;
  for (const key of path.split('.').filter((k) => k !== '')) {
    if (current === null || typeof current !== 'object' || !(key in current)) {
      throw new CliError(`template: ${template}: can't evaluate field ${key}`, { code: 'ERR_CLI_TEMPLATE' });
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Renders `template` against `value`.
 *
 * @throws {@link CliError} `ERR_CLI_TEMPLATE` for an unsupported action or a missing field.
 */
export function renderTemplate(template: string, value: unknown): string {
  return template.replace(ACTION, (_whole, expr: string) => {
    const m = EXPR.exec(expr);
    if (m === null) throw new CliError(`template: unsupported action {{${expr}}}: only {{.Path}} and {{json .Path}} are supported`, { code: 'ERR_CLI_TEMPLATE' });
    const found = lookup(value, m[2] as string, template);
    return m[1] === undefined ? show(found) : JSON.stringify(found ?? null);
  });
}

/**
 * Prints inspect results: the JSON array, or one rendered template line per
 * value when `format` is given (`json` prints each value as JSON).
 */
export function renderInspect(values: readonly unknown[], format: string | undefined): string {
  if (format === undefined || format === '') return `${JSON.stringify(values, null, 4)}\n`;
  if (format === 'json') return values.map((v) => `${JSON.stringify(v)}\n`).join('');
  return values.map((v) => `${renderTemplate(format, v)}\n`).join('');
}
