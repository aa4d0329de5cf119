/**
 * The functions a `--format` template can call: Go's built-ins (`index`,
 * `len`, `eq`, `printf` …) and the ones Docker adds (`json`, `join`, `split`,
 * `upper`, `lower`, `title`, `pad`, `truncate`).
 *
 * @module
 */
import { MISSING, execError, formatValue, isMap, isNil, toJson, truthy, typeName } from './template-value.js';

type Fn = (args: unknown[], at: string) => unknown;

function arity(name: string, args: unknown[], at: string, min: number, max = min): void {
  if (args.length < min || args.length > max) throw execError(at, `wrong number of args for ${name}: want ${min === max ? min : `${min}..${max}`} got ${args.length}`);
}

function str(name: string, v: unknown, at: string): string {
  if (typeof v !== 'string') throw execError(at, `error calling ${name}: wrong type for value; expected string; got ${typeName(v)}`);
  return v;
}

function int(name: string, v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw execError(at, `error calling ${name}: wrong type for value; expected int; got ${typeName(v)}`);
  return v;
}

function index(args: unknown[], at: string): unknown {
  if (args.length < 1) throw execError(at, 'wrong number of args for index: want at least 1 got 0');
  let v = args[0];
  for (const key of args.slice(1)) {
    if (isNil(v)) throw execError(at, 'error calling index: index of untyped nil');
    if (Array.isArray(v) || typeof v === 'string') {
      if (typeof key !== 'number' || !Number.isInteger(key)) throw execError(at, `error calling index: cannot index slice/array with type ${typeName(key)}`);
      if (key < 0 || key >= v.length) throw execError(at, `error calling index: index out of range: ${key}`);
      v = typeof v === 'string' ? v.charCodeAt(key) : (v[key] ?? null);
    } else if (isMap(v)) {
      if (typeof key !== 'string') throw execError(at, `error calling index: value has type ${typeName(key)}; should be string`);
      v = Object.hasOwn(v, key) ? (v[key] ?? null) : MISSING;
    } else throw execError(at, `error calling index: can't index item of type ${typeName(v)}`);
  }
  return v;
}

function len(args: unknown[], at: string): number {
  arity('len', args, at, 1);
  const v = args[0];
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  throw execError(at, `error calling len: len of type ${typeName(v)}`);
}

function basic(v: unknown): string | number | boolean | null | undefined {
  if (isNil(v)) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return undefined;
}

function compare(name: string, args: unknown[], at: string): [string | number | boolean | null, string | number | boolean | null] {
  arity(name, args, at, 2);
  const [a, b] = [basic(args[0]), basic(args[1])];
  if (a === undefined || b === undefined) throw execError(at, `error calling ${name}: invalid type for comparison`);
  if (name !== 'eq' && name !== 'ne' && (typeof a !== typeof b || a === null || typeof a === 'boolean')) throw execError(at, `error calling ${name}: incompatible types for comparison`);
  return [a, b];
}

/** Go's `fmt.Sprintf` for the verbs templates use: `%s %v %d %q %t %f %x %%`, with flags and width. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let n = 0;
  return format.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([svdqtfx%])/g, (_m, flags: string, width?: string, prec?: string, verb?: string) => {
    if (verb === '%') return '%';
    if (n >= args.length) return `%!${verb}(MISSING)`;
    const v = args[n++];
    let s: string;
    if (verb === 'q') s = JSON.stringify(typeof v === 'string' ? v : formatValue(v));
    else if (verb === 'd' && typeof v === 'number') s = String(Math.trunc(v));
    else if (verb === 'f' && typeof v === 'number') s = v.toFixed(prec === undefined ? 6 : Number(prec));
    else if (verb === 'x' && typeof v === 'number') s = Math.trunc(v).toString(16);
    else if (verb === 'x' && typeof v === 'string') s = Buffer.from(v).toString('hex');
    else s = formatValue(v);
    if (verb === 's' && prec !== undefined) s = s.slice(0, Number(prec));
    const w = width === undefined ? 0 : Number(width);
    if (s.length >= w) return s;
    if (flags.includes('-')) return s.padEnd(w);
    return flags.includes('0') && verb !== 's' ? s.padStart(w, '0') : s.padStart(w);
  });
}

/** Go's `fmt.Sprint`: a space between operands when neither is a string. */
function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** The first argument that passes `test`, else the last (Go's `and`/`or`). */
function firstOr(args: unknown[], test: (v: unknown) => boolean): unknown {
  const i = args.findIndex(test);
  return args[i < 0 ? args.length - 1 : i];
}

/** Every function by name. */
export const FUNCTIONS: Readonly<Record<string, Fn>> = {
  and: (a, at) => (arity('and', a, at, 1, Infinity), firstOr(a, (v) => !truthy(v))),
  or: (a, at) => (arity('or', a, at, 1, Infinity), firstOr(a, truthy)),
  not: (a, at) => (arity('not', a, at, 1), !truthy(a[0])),
  index,
  len,
  eq: (a, at) => {
    if (a.length < 2) throw execError(at, 'missing argument for comparison');
    return a.slice(1).some((b) => {
      const [x, y] = compare('eq', [a[0], b], at);
      return x === y;
    });
  },
  ne: (a, at) => {
    const [x, y] = compare('ne', a, at);
    return x !== y;
  },
  lt: (a, at) => {
    const [x, y] = compare('lt', a, at);
    return (x as number) < (y as number);
  },
  le: (a, at) => {
    const [x, y] = compare('le', a, at);
    return (x as number) <= (y as number);
  },
  gt: (a, at) => {
    const [x, y] = compare('gt', a, at);
    return (x as number) > (y as number);
  },
  ge: (a, at) => {
    const [x, y] = compare('ge', a, at);
    return (x as number) >= (y as number);
  },
  print: (a) => sprint(a),
  println: (a) => `${a.map(formatValue).join(' ')}\n`,
  printf: (a, at) => (arity('printf', a, at, 1, Infinity), sprintf(str('printf', a[0], at), a.slice(1))),
  json: (a, at) => (arity('json', a, at, 1), toJson(a[0])),
  join: (a, at) => {
    arity('join', a, at, 2);
    if (!Array.isArray(a[0])) throw execError(at, `error calling join: wrong type for value; expected []string; got ${typeName(a[0])}`);
    return a[0].map(formatValue).join(str('join', a[1], at));
  },
  split: (a, at) => (arity('split', a, at, 2), str('split', a[0], at).split(str('split', a[1], at))),
  upper: (a, at) => (arity('upper', a, at, 1), str('upper', a[0], at).toUpperCase()),
  lower: (a, at) => (arity('lower', a, at, 1), str('lower', a[0], at).toLowerCase()),
  title: (a, at) => (arity('title', a, at, 1), str('title', a[0], at).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase())),
  pad: (a, at) => {
    arity('pad', a, at, 3);
    const s = str('pad', a[0], at);
    return s === '' ? s : ' '.repeat(int('pad', a[1], at)) + s + ' '.repeat(int('pad', a[2], at));
  },
  truncate: (a, at) => {
    arity('truncate', a, at, 2);
    const s = str('truncate', a[0], at);
    const n = int('truncate', a[1], at);
    return s.length < n ? s : s.slice(0, n);
  },
};
