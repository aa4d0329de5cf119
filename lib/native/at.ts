/**
 * File system calls relative to directory fds, for trees a container changes while we work in
 * them (SECURITY 14). Paths are resolved only by the kernel, with openat2
 * `RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS` from a directory fd taken as `/`; the other calls act
 * on one name (no `/`) in an open directory and never follow a symlink in it. The caller owns
 * the fds it gets and closes them with `fs.closeSync`. Each throws {@link SyscallError}.
 *
 * @module
 */
import { constants } from 'node:fs';
import { native } from './addon.js';
import { callNative } from './call.js';

/** `open(2)` flags Node's `fs.constants` lacks. */
export const O_PATH = 0o10000000;
/** Flags to open a directory to walk or write in. */
export const O_DIR = constants.O_RDONLY | constants.O_DIRECTORY;

/** Opens `path` as if directory fd `rootFd` were `/` (`..` and symlinks, absolute too, stay below it). */
export function openInRoot(rootFd: number, path: string, flags: number, mode = 0): number {
  return callNative(() => native().openInRoot(rootFd, path, flags, mode));
}

export function mkdirAt(dirFd: number, name: string, mode: number): void {
  callNative(() => native().mkdirAt(dirFd, name, mode));
}

/** A symlink `name` in `dirFd` whose target is `target` (stored, never resolved). */
export function symlinkAt(target: string, dirFd: number, name: string): void {
  callNative(() => native().symlinkAt(target, dirFd, name));
}

export function unlinkAt(dirFd: number, name: string, removeDir = false): void {
  callNative(() => native().unlinkAt(dirFd, name, removeDir));
}

/** A hard link `newName` in `newDirFd` to `oldName` in `oldDirFd` (a symlink is linked itself). */
export function linkAt(oldDirFd: number, oldName: string, newDirFd: number, newName: string): void {
  callNative(() => native().linkAt(oldDirFd, oldName, newDirFd, newName));
}

/** A device node or FIFO; `mode` carries the type bits. */
export function mknodAt(dirFd: number, name: string, mode: number, major = 0, minor = 0): void {
  callNative(() => native().mknodAt(dirFd, name, mode, major, minor));
}

/** Target of symlink `name` in `dirFd`; `''` reads the symlink `dirFd` itself (opened `O_PATH|O_NOFOLLOW`). */
export function readlinkAt(dirFd: number, name: string): string {
  return callNative(() => native().readlinkAt(dirFd, name));
}

/** Owner of `name` in `dirFd` itself (`''`: of `dirFd`), a symlink not followed. */
export function lchownAt(dirFd: number, name: string, uid: number, gid: number): void {
  callNative(() => native().lchownAt(dirFd, name, uid, gid));
}

/** Sets atime and mtime of `name` in `dirFd` itself (a symlink not followed). */
export function lutimesAt(dirFd: number, name: string, mtime: Date): void {
  callNative(() => native().lutimesAt(dirFd, name, mtime.getTime()));
}

/** Names in the open directory `dirFd`, without `.` and `..`. */
export function readdirFd(dirFd: number): string[] {
  return callNative(() => native().readdirFd(dirFd));
}
