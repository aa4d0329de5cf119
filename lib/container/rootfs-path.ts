/**
 * Resolving a path of a container as the container would see it, without ever
 * leaving the container's root on the host (SECURITY 9 and 14).
 *
 * @internal
 */
import { lstat, readlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ContainerError } from '../errors.js';

/** Symlinks followed while resolving one path before giving up (Linux MAXSYMLINKS). */
export const MAX_SYMLINK_HOPS = 40;

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Returns the host path that `path` names inside the container whose root is
 * `root`. Components are walked one by one with `lstat`; a symlink met on the
 * way is read and followed as if `root` were `/` (absolute targets restart at
 * `root`, `..` never climbs above it). Components that do not exist are kept
 * as they are, so the result may not exist. The result is always `root` or
 * below it.
 *
 * The answer holds only while nobody changes the tree: resolve again right
 * before use, and do not use it while the container runs.
 *
 * @param root host path of the container's root filesystem (trusted).
 * @param path path inside the container, absolute or relative to `/`.
 * @throws ContainerError `ERR_SYMLINK_LOOP` after {@link MAX_SYMLINK_HOPS} symlinks,
 *   `ERR_INVALID_PATH` for a path containing NUL.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  if (path.includes('\0')) throw new ContainerError('ERR_INVALID_PATH', 'path contains NUL');
  const base = resolve(root);
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
    const candidate = join(base, ...current, part);
    let isLink: boolean;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch (err) {
      if (!isMissing(err)) throw err;
      isLink = false;
    }
    if (!isLink) {
      current.push(part);
      continue;
    }
    hops += 1;
    if (hops > MAX_SYMLINK_HOPS) {
      throw new ContainerError('ERR_SYMLINK_LOOP', `too many levels of symbolic links resolving ${path} in the container`);
    }
    const target = await readlink(candidate);
    if (target.startsWith('/')) current = [];
    pending = [...target.split('/'), ...pending];
  }
  return join(base, ...current);
}
