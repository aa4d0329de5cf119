/**
 * Docker's human byte quantities: `512m`, `1g`, `1.5GB`, `100k`, `2048`.
 *
 * @module
 */
import { CliError } from '../errors.js';

const UNIT_POWER: Readonly<Record<string, number>> = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };
const BYTES = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?\s*$/i;
const BARE_B = /^\s*(\d+(?:\.\d+)?)\s*b\s*$/i;

/**
 * Parses a size with an optional binary unit (k, m, g, t, p; case-insensitive,
 * optional `b`/`ib` suffix), like `docker run --memory`. Units are powers of 1024.
 *
 * @throws {@link CliError} `ERR_CLI_BAD_VALUE` when the text is not a size.
 */
export function parseBytes(text: string): number {
  const bare = BARE_B.exec(text);
  const m = bare === null ? BYTES.exec(text) : [bare[0], bare[1], ''];
  if (m === null || m[1] === undefined) {
    throw new CliError(`invalid size: ${JSON.stringify(text)}`, { code: 'ERR_CLI_BAD_VALUE' });
  }
  const power = UNIT_POWER[(m[2] ?? '').toLowerCase()] ?? 0;
  const value = Math.floor(Number(m[1]) * 1024 ** power);
  if (!Number.isSafeInteger(value)) {
    throw new CliError(`size out of range: ${JSON.stringify(text)}`, { code: 'ERR_CLI_BAD_VALUE' });
  }
  return value;
}
