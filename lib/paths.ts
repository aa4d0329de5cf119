/**
 * Where ocikit keeps its state.
 *
 * @module
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The storage root: `$OCIKIT_ROOT` when set, else `/var/lib/ocikit` for root,
 * else `$XDG_DATA_HOME/ocikit` (`~/.local/share/ocikit` when `XDG_DATA_HOME` is
 * unset or not absolute, as the XDG spec says). Read on every call, so a
 * change of the environment takes effect at once.
 */
export function storageRoot(): string {
  const fromEnv = process.env['OCIKIT_ROOT'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  if (process.getuid?.() === 0) return '/var/lib/ocikit';
  const xdg = process.env['XDG_DATA_HOME'];
  const dataHome = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'share');
  return join(dataHome, 'ocikit');
}

/**
 * The storage root an operation works on: `root` made absolute when given,
 * else {@link storageRoot}.
 */
export function resolveRoot(root?: string): string {
  return root !== undefined && root !== '' ? resolve(root) : storageRoot();
}
