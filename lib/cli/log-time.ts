/**
 * Times of `logs --since/--until` as Docker reads them: an RFC 3339 date (or a date without
 * time), a Unix timestamp (`1700000000`, `1700000000.5`), or a Go duration before now
 * (`10m`, `1h30m`, `1.5h`, `250ms`).
 *
 * @module
 */
import { CliError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };

/** Milliseconds of a Go duration (`1h30m`, `1.5s`), or undefined when `text` is not one. */
export function goDurationMs(text: string): number | undefined {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    at = re.lastIndex;
  }
  return at > 0 && at === text.length ? total : undefined;
}

/**
 * The time `text` names for flag `flag` of `verb`, `now` being the reference of relative ones.
 *
 * @throws CliError `ERR_CLI_BAD_VALUE` when it is none of the forms.
 */
export function parseLogTime(text: string, flag: string, verb: string, now = Date.now()): Date {
  const rel = goDurationMs(text);
  if (rel !== undefined) return new Date(now - rel);
  if (/^\d+(\.\d+)?$/.test(text)) return new Date(Number(text) * 1000);
  const t = /^\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(t)) throw new CliError(`invalid value for --${flag}: ${JSON.stringify(text)}: not a timestamp, a Unix time or a duration such as 10m`, { code: 'ERR_CLI_BAD_VALUE', verb });
  return new Date(t);
}
