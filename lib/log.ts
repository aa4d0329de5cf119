/**
 * Logging through `debug`, one namespace per area: `ocikit:<area>`.
 * Enable with `DEBUG=ocikit:*`.
 *
 * `debug` is loaded only when the `DEBUG` variable is set: loading it (and the terminal colour
 * probing it does) cost every CLI process ~13 ms, for output nobody asked for.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type createDebug from 'debug';

/** A logger for one area: call it like `console.log`, with `%s`/`%d`/`%o` placeholders. */
export type Logger = (formatter: unknown, ...args: unknown[]) => void;

const silent: Logger = () => undefined;
let factory: typeof createDebug | null | undefined;

function debugFactory(): typeof createDebug | null {
  if (factory === undefined) {
    const wanted = process.env['DEBUG'];
    factory = wanted === undefined || wanted === '' ? null : (createRequire(import.meta.url)('debug') as typeof createDebug);
  }
  return factory;
}

/** Returns the logger of `area`, such as `registry` or `layer`. */
export function logger(area: string): Logger {
  const make = debugFactory();
  return make === null ? silent : make(`ocikit:${area}`);
}
