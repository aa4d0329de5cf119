/**
 * Reading a container's tree through directory fds (SECURITY 14, moby CVE-2018-15664): the root
 * is opened once, every path is resolved by the kernel from that fd with openat2
 * `RESOLVE_IN_ROOT`, and a walk descends by opening each child relative to its parent's fd
 * without following symlinks. A container that swaps a directory for a symlink meanwhile makes a
 * step fail or see its own files; it never leads a step to the host.
 *
 * @module
 */
import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { ContainerError, LayerError } from '../errors.js';
import type { LayerItem } from '../layer/diff-writer.js';
import { O_DIR, O_PATH, openInRoot, readdirFd, readlinkAt } from '../native/at.js';
import { MAX_SYMLINK_HOPS } from './rootfs-path.js';

/** Errors meaning "not there" when resolving a path. */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'ELOOP']);

/** Whether `err` says the path does not exist (or is not a directory on the way). */
export function isMissing(err: unknown): boolean {
  return MISSING.has((err as { code?: unknown } | null)?.code as string);
}

/** Opens the host directory `path` (a trusted path: the container's root) as a directory fd. */
export function openRootDir(path: string): number {
  return openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
}

/** An entry: `name` in the open directory `dirFd`; `name` `''` is the directory itself. */
export interface Located {
  /** Owned by the caller: close it. */
  dirFd: number;
  name: string;
}

/**
 * Where in-container `path` is: its parent opened from `rootFd` and its last name. With `follow`,
 * a symlink named by `path` itself is followed (inside the root), again and again.
 *
 * @throws ContainerError `ERR_SYMLINK_LOOP`; SyscallError `ENOENT`/`ENOTDIR` when a parent is missing.
 */
export function locate(rootFd: number, path: string, follow: boolean): Located {
  if (path.includes('\0')) throw new ContainerError('ERR_INVALID_PATH', 'path contains NUL');
  let clean = posix.normalize(`/${path}`);
  for (let hops = 0; hops <= MAX_SYMLINK_HOPS; hops++) {
    if (clean === '/') return { dirFd: openInRoot(rootFd, '/', O_DIR), name: '' };
    const dir = posix.dirname(clean);
    const name = posix.basename(clean);
    const dirFd = openInRoot(rootFd, dir, O_DIR);
    if (!follow) return { dirFd, name };
    let target: string;
    try {
      target = readlinkAt(dirFd, name);
    } catch {
      return { dirFd, name }; // not a symlink (EINVAL) or missing: the caller's stat tells
    }
    closeSync(dirFd);
    clean = posix.normalize(target.startsWith('/') ? target : `${dir}/${target}`);
  }
  throw new ContainerError('ERR_SYMLINK_LOOP', `too many levels of symbolic links resolving ${path} in the container`);
}

/** `lstat` of `name` in `dirFd` (`''`: the directory itself), or `undefined` when it is missing. */
export function statAt(dirFd: number, name: string): Stats | undefined {
  let fd: number;
  try {
    fd = openInRoot(dirFd, name === '' ? '.' : name, O_PATH | constants.O_NOFOLLOW);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  try {
    return fstatSync(fd);
  } finally {
    closeSync(fd);
  }
}

function changed(rel: string, cause?: unknown): LayerError {
  return new LayerError('ERR_LAYER_CHANGED', 'file changed while being copied', { entry: rel, cause });
}

/** Opens regular file `name` of `dirFd` for reading, only if it is still the file `st` describes. */
function openFile(dirFd: number, name: string, rel: string, st: Stats): number {
  let fd: number;
  try {
    // O_NONBLOCK|O_NOCTTY: whatever was swapped in, opening it neither blocks nor takes a tty
    fd = openInRoot(dirFd, name, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (cause) {
    throw changed(rel, cause);
  }
  const now = fstatSync(fd);
  if (now.ino !== st.ino || now.dev !== st.dev || !now.isFile()) {
    closeSync(fd);
    throw changed(rel);
  }
  return fd;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Items of the tree at `name` in `dirFd` (whose lstat is `st`), named `rel` (itself first unless
 * `rel` is empty), for {@link tarOf}. Directories are read through fds opened without following
 * symlinks; files are opened when the tar reaches them, relative to their directory's fd, which
 * stays open until the walk leaves it.
 */
export function* walkAt(dirFd: number, name: string, rel: string, st: Stats): Generator<LayerItem> {
  if (rel !== '') {
    if (st.isSymbolicLink()) yield { rel, stats: st, linkTarget: readlinkAt(dirFd, name) };
    else if (st.isFile()) yield { rel, stats: st, open: () => openFile(dirFd, name, rel, st) };
    else yield { rel, stats: st };
  }
  if (!st.isDirectory()) return;
  let dfd: number;
  try {
    dfd = openInRoot(dirFd, name === '' ? '.' : name, O_DIR | constants.O_NOFOLLOW);
  } catch (cause) {
    throw changed(rel, cause);
  }
  try {
    const now = fstatSync(dfd);
    if (now.ino !== st.ino || now.dev !== st.dev) throw changed(rel);
    for (const child of readdirFd(dfd).sort(byName)) {
      const cst = statAt(dfd, child);
      if (cst === undefined) continue; // removed meanwhile
      yield* walkAt(dfd, child, rel === '' ? child : `${rel}/${child}`, cst);
    }
  } finally {
    closeSync(dfd);
  }
}
