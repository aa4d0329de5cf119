/**
 * Mounting overlays: through the native addon's mount(2), or the `mount`
 * command where the addon is not built.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SnapshotError } from '../errors.js';
import { nativeAvailable } from '../native/addon.js';
import { mount, mountAsync, umount2, umount2Async, UmountFlags } from '../native/fs.js';
import { removeTree } from '../layer/remove-tree.js';
import { logger } from '../log.js';

const log = logger('snapshot');

/** Largest mount data the kernel accepts (one page). */
export const MOUNT_DATA_MAX = 4095;

/** Everything needed to mount a container's overlay rootfs. */
export interface OverlayMount {
  /** Lower directories, topmost first, relative to {@link OverlayMount.cwd}. */
  lowerdirs: string[];
  /** Writable upper directory (absolute). */
  upperdir: string;
  /** Overlay work directory (absolute, same file system as upperdir). */
  workdir: string;
  /** Directory the mount is made from, so the short relative lowerdirs resolve. */
  cwd: string;
  /** The mount data string: `lowerdir=…,upperdir=…,workdir=…,redirect_dir=off,metacopy=off`. */
  options: string;
}

/** Builds the mount data of an overlay, checking it fits in a page. */
export function overlayOptions(lowerdirs: readonly string[], upperdir: string, workdir: string): string {
  for (const p of [...lowerdirs, upperdir, workdir]) {
    if (/[,:\\]/.test(p)) throw new SnapshotError('ERR_SNAPSHOT_PATH', `overlay path cannot contain ',', ':' or '\\': ${p}`);
  }
  const options = `lowerdir=${lowerdirs.join(':')},upperdir=${upperdir},workdir=${workdir},redirect_dir=off,metacopy=off`;
  if (Buffer.byteLength(options) > MOUNT_DATA_MAX) {
    throw new SnapshotError('ERR_SNAPSHOT_TOO_MANY_LAYERS', `overlay mount data is ${Buffer.byteLength(options)} bytes (limit ${MOUNT_DATA_MAX})`);
  }
  return options;
}

/** `m`'s mount data with absolute lowerdirs. */
function absoluteOptions(m: OverlayMount): string {
  return `lowerdir=${m.lowerdirs.map((d) => (d.startsWith('/') ? d : `${m.cwd}/${d}`)).join(':')},${m.options.slice(m.options.indexOf(',') + 1)}`;
}

/**
 * Mounts `m` at `target`: with the native addon when the options still fit a
 * page with absolute lowerdirs, else through `mount` run from `m.cwd`.
 */
export function mountOverlay(m: OverlayMount, target: string): void {
  const absolute = absoluteOptions(m);
  if (Buffer.byteLength(absolute) <= MOUNT_DATA_MAX && nativeAvailable()) {
    try {
      mount('overlay', target, 'overlay', 0, absolute);
      return;
    } catch (cause) {
      throw new SnapshotError('ERR_SNAPSHOT_MOUNT', `cannot mount overlay at ${target}: ${(cause as Error).message}`, { cause });
    }
  }
  try {
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', m.options, target], { cwd: m.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (cause) {
    const stderr = (cause as { stderr?: Buffer }).stderr?.toString().trim() ?? String(cause);
    throw new SnapshotError('ERR_SNAPSHOT_MOUNT', `cannot mount overlay at ${target}: ${stderr}`, { cause });
  }
}

/** {@link mountOverlay} with the mount(2) on the libuv pool (the `mount` fallback is synchronous). */
export async function mountOverlayAsync(m: OverlayMount, target: string): Promise<void> {
  const absolute = absoluteOptions(m);
  if (Buffer.byteLength(absolute) > MOUNT_DATA_MAX || !nativeAvailable()) return mountOverlay(m, target);
  try {
    await mountAsync('overlay', target, 'overlay', 0, absolute);
  } catch (cause) {
    throw new SnapshotError('ERR_SNAPSHOT_MOUNT', `cannot mount overlay at ${target}: ${(cause as Error).message}`, { cause });
  }
}

/** Unmounts `target` (lazily when `detach`). */
export function unmount(target: string, detach = false): void {
  try {
    if (nativeAvailable()) return umount2(target, detach ? UmountFlags.DETACH : 0);
    execFileSync('umount', detach ? ['-l', target] : [target], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (cause) {
    const stderr = (cause as { stderr?: Buffer }).stderr?.toString().trim() ?? String(cause);
    throw new SnapshotError('ERR_SNAPSHOT_UNMOUNT', `cannot unmount ${target}: ${stderr}`, { cause });
  }
}

/** {@link unmount} with the umount2(2) on the libuv pool (the `umount` fallback is synchronous). */
export async function unmountAsync(target: string, detach = false): Promise<void> {
  if (!nativeAvailable()) return unmount(target, detach);
  try {
    await umount2Async(target, detach ? UmountFlags.DETACH : 0);
  } catch (cause) {
    throw new SnapshotError('ERR_SNAPSHOT_UNMOUNT', `cannot unmount ${target}: ${(cause as Error).message}`, { cause });
  }
}

let supported: boolean | undefined;

/** Whether overlay mounts work here (probed once, with a throw-away mount under the OS temp dir). */
export function overlaySupported(): boolean {
  if (supported !== undefined) return supported;
  const dir = mkdtempSync(`${tmpdir()}/ocikit-ovl-probe-`);
  try {
    for (const d of ['l', 'u', 'w', 'm']) mkdirSync(`${dir}/${d}`);
    mountOverlay({ lowerdirs: ['l'], upperdir: `${dir}/u`, workdir: `${dir}/w`, cwd: dir, options: overlayOptions(['l'], `${dir}/u`, `${dir}/w`) }, `${dir}/m`);
    unmount(`${dir}/m`);
    supported = true;
  } catch (err) {
    log('overlay not available: %s', (err as Error).message);
    supported = false;
  } finally {
    removeTree(dir);
  }
  return supported;
}
