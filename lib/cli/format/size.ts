/**
 * Byte counts as Docker prints them: decimal units for image and layer sizes
 * (`5.24MB`), binary units for memory (`1.944GiB`).
 *
 * @module
 */

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function scaled(bytes: number, base: number, units: readonly string[], precision: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  let text = significant(value, precision);
  if (Number(text) >= base && unit < units.length - 1) {
    value /= base;
    unit++;
    text = significant(value, precision);
  }
  return `${text}${units[unit] as string}`;
}

/** `value` to `precision` significant digits, without trailing zeros (like `%.Ng`). */
function significant(value: number, precision: number): string {
  if (value === 0) return '0';
  const fixed = Number(value.toPrecision(precision));
  return String(fixed);
}

/**
 * A size in decimal units with `precision` significant digits (3, as in the
 * SIZE column of `docker images`; 4 for progress bars): `5.24MB`, `977kB`, `12B`.
 */
export function humanSize(bytes: number, precision = 3): string {
  return scaled(bytes, 1000, DECIMAL, precision);
}

/** A size in binary units with 4 significant digits, as in `docker info`: `1.944GiB`. */
export function binarySize(bytes: number): string {
  return scaled(bytes, 1024, BINARY, 4);
}
