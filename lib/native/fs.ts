/**
 * Filesystem system calls Node does not offer: device nodes, xattrs on links, mount and umount.
 * Each throws {@link SyscallError} naming the call and the path.
 *
 * @module
 */
import { callNative, callNativeAsync } from './call.js';
import { native } from './addon.js';

/** File type bits for {@link mknod}'s `mode`. */
export const S_IFCHR = 0o020000;
/** Block device type bits. */
export const S_IFBLK = 0o060000;
/** FIFO type bits. */
export const S_IFIFO = 0o010000;
/** Regular file type bits. */
export const S_IFREG = 0o100000;

/** `mount(2)` flags. */
export const MountFlags = Object.freeze({
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  REMOUNT: 0x20,
  NOATIME: 0x400,
  BIND: 0x1000,
  MOVE: 0x2000,
  REC: 0x4000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
});

/** `umount2(2)` flags. */
export const UmountFlags = Object.freeze({ FORCE: 1, DETACH: 2, EXPIRE: 4, NOFOLLOW: 8 });

/** `lsetxattr(2)` flags. */
export const XattrFlags = Object.freeze({ CREATE: 1, REPLACE: 2 });

/** Creates a device node, FIFO or empty file; `mode` carries the type bits (e.g. `S_IFCHR | 0o666`). */
export function mknod(path: string, mode: number, major = 0, minor = 0): void {
  callNative(() => native().mknod(path, mode, major, minor));
}

/** Sets an extended attribute on `path` itself (a symlink is not followed). */
export function lsetxattr(path: string, name: string, value: Buffer | string, flags = 0): void {
  callNative(() => native().lsetxattr(path, name, value, flags));
}

/** Reads an extended attribute of `path` itself; `null` when it is not set. */
export function lgetxattr(path: string, name: string): Buffer | null {
  return callNative(() => native().lgetxattr(path, name));
}

/** Names of the extended attributes of `path` itself. */
export function llistxattr(path: string): string[] {
  return callNative(() => native().llistxattr(path));
}

/** `mount(2)`. */
export function mount(
  source: string | null,
  target: string,
  fstype: string | null,
  flags = 0,
  data: string | null = null,
): void {
  callNative(() => native().mount(source, target, fstype, flags, data));
}

/** `umount2(2)`. */
export function umount2(target: string, flags = 0): void {
  callNative(() => native().umount2(target, flags));
}

/** `mount(2)` on the libuv pool: an overlay mount can take milliseconds. */
export function mountAsync(
  source: string | null,
  target: string,
  fstype: string | null,
  flags = 0,
  data: string | null = null,
): Promise<void> {
  return callNativeAsync(() => native().mountAsync(source, target, fstype, flags, data));
}

/** `umount2(2)` on the libuv pool: unmounting an overlay syncs it. */
export function umount2Async(target: string, flags = 0): Promise<void> {
  return callNativeAsync(() => native().umount2Async(target, flags));
}
