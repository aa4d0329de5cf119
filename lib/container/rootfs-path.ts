/**
 * Resolving a path of a container as the container would see it, without ever
 * leaving the container's root on the host (SECURITY 9 and 14).
 *
 * @module
 */
import { closeSync, constants, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ContainerError } from '../errors.js';
import { O_DIR, openInRoot, readlinkAt } from '../native/at.js';

/** Symlinks followed while resolving one path before giving up (Linux MAXSYMLINKS). */
export const MAX_SYMLINK_HOPS = 40;

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

/**
 * Returns the in-root path (no leading `/`) that `path` names inside the tree
 * whose root is the directory fd `rootFd`, with every symlink on the way
 * followed as if the root were `/` (absolute targets restart at the root,
 * `..` never climbs above it). Each component is looked up as one name in its
 * parent, opened from `rootFd` with openat2 `RESOLVE_IN_ROOT`, so no step can
 * leave the root even while the tree changes. Components that do not exist
 * are kept as they are.
 *
 * @throws ContainerError `ERR_SYMLINK_LOOP` after {@link MAX_SYMLINK_HOPS} symlinks,
 *   `ERR_INVALID_PATH` for a path containing NUL.
 */
export function resolveInRootAt(rootFd: number, path: string): string {
  if (path.includes('\0')) throw new ContainerError('ERR_INVALID_PATH', 'path contains NUL');
  let pending = path.split('/');
  let current: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current.pop();
      continue;
    }
    const target = linkTarget(rootFd, current, part);
    if (target === undefined) {
      current.push(part);
      continue;
    }
    hops += 1;
    if (hops > MAX_SYMLINK_HOPS) {
      throw new ContainerError('ERR_SYMLINK_LOOP', `too many levels of symbolic links resolving ${path} in the container`);
    }
    if (target.startsWith('/')) current = [];
    pending = [...target.split('/'), ...pending];
  }
  return current.join('/');
}

/** The target of symlink `name` in in-root directory `dir`, or `undefined` when it is no symlink or missing. */
function linkTarget(rootFd: number, dir: string[], name: string): string | undefined {
  let dirFd: number;
  try {
    dirFd = openInRoot(rootFd, `/${dir.join('/')}`, O_DIR);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  try {
    return readlinkAt(dirFd, name);
  } catch {
    return undefined; // EINVAL: not a symlink; ENOENT: missing
  } finally {
    closeSync(dirFd);
  }
}

/**
 * Returns the host path that `path` names inside the container whose root is
 * `root` ({@link resolveInRootAt} from a directory fd of `root`). The result
 * is always `root` or below it, and may not exist.
 *
 * The answer holds only while nobody changes the tree: resolve again right
 * before use, and do not use it while the container runs (use fds, as
 * copy.ts does).
 *
 * @param root host path of the container's root filesystem (trusted).
 * @param path path inside the container, absolute or relative to `/`.
 * @throws ContainerError `ERR_SYMLINK_LOOP`, `ERR_INVALID_PATH`.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  if (path.includes('\0')) throw new ContainerError('ERR_INVALID_PATH', 'path contains NUL');
  const base = resolve(root);
  const rootFd = openSync(base, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    const rel = resolveInRootAt(rootFd, path);
    return rel === '' ? base : join(base, rel);
  } finally {
    closeSync(rootFd);
  }
}
