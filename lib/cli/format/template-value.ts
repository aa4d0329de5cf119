/**
 * How Go templates see JSON-shaped data: a missing map key is "no value",
 * `%v` prints slices as `[a b]` and maps as `map[k:v]` with sorted keys, and
 * emptiness decides truth.
 *
 * @module
 */
import { CliError } from '../../errors.js';

/** A map key that is not there (Go's zero `interface{}`); prints `<no value>`. */
export const MISSING: unique symbol = Symbol('ocikit.template.missing');

/** The error every evaluation failure throws, worded like Docker's. */
export function execError(at: string, message: string): CliError {
  return new CliError(`template: :1: executing "" at <${at}>: ${message}`, { code: 'ERR_CLI_TEMPLATE' });
}

/** Whether `v` is nil in Go's sense (absent or JSON null). */
export const isNil = (v: unknown): boolean => v === MISSING || v === null || v === undefined;

/** A plain object (a JSON map). */
export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's type name for `v`, for error messages. */
export function typeName(v: unknown): string {
  if (isNil(v)) return 'interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

/** Go's `%v` of a value nested inside a slice or map. */
function formatInner(v: unknown): string {
  if (isNil(v)) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatInner).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${formatInner(v[k])}`).join(' ')}]`;
  return String(v);
}

/** What `{{pipeline}}` prints for `v`. */
export function formatValue(v: unknown): string {
  return isNil(v) ? '<no value>' : formatInner(v);
}

/** Go's `json` function as Docker defines it (no HTML escaping, no trailing newline). */
export function toJson(v: unknown): string {
  return JSON.stringify(isNil(v) ? null : v) ?? 'null';
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
export function truthy(v: unknown): boolean {
  if (isNil(v) || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** The entries `range` walks: slice elements by index, map values by sorted key; none for nil. */
export function rangeEntries(v: unknown, at: string): Array<[number | string, unknown]> {
  if (isNil(v)) return [];
  if (Array.isArray(v)) return v.map((e, i) => [i, e]);
  if (isMap(v)) return Object.keys(v).sort().map((k) => [k, v[k]]);
  if (typeof v === 'number' && Number.isInteger(v)) return Array.from({ length: Math.max(0, v) }, (_x, i) => [i, i]);
  throw execError(at, `range can't iterate over ${formatValue(v)}`);
}

/** `.Key` of `v`: the value, or {@link MISSING} for a map without it. */
export function field(v: unknown, key: string, at: string): unknown {
  if (isMap(v)) return Object.hasOwn(v, key) ? (v[key] ?? null) : MISSING;
  if (isNil(v)) throw execError(at, `nil pointer evaluating interface {}.${key}`);
  throw execError(at, `can't evaluate field ${key} in type ${typeName(v)}`);
}
