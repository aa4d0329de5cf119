/**
 * Logging through `debug`, one namespace per area: `ocikit:<area>`.
 * Enable with `DEBUG=ocikit:*`.
 *
 * @internal
 */
import createDebug from 'debug';

/** A logger for one area. */
export type Logger = createDebug.Debugger;

/** Returns the logger of `area`, such as `registry` or `layer`. */
export function logger(area: string): Logger {
  return createDebug(`ocikit:${area}`);
}
