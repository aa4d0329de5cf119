/**
 * A container's root file system as one tree, for file operations (export,
 * cp, diff, commit) whether the container runs or not: the mounted rootfs of
 * a running overlay container, a temporary overlay mount of a stopped one
 * (read-only: the upper dir stacked as the top lower, so nothing locks its
 * work dir), or the container's own tree with the copy snapshotter.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, rmdirSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { ContainerError } from '../errors.js';
import { diffDirectories, diffOverlay, type LayerChanges } from '../layer/changes.js';
import { mountOverlay, unmount } from '../snapshot/mount.js';
import type { OverlayMount } from '../snapshot/mount.js';
import type { PreparedRootfs } from '../snapshot/types.js';
import { readPrepared } from './runtime-record.js';
import { isMounted } from './setup.js';
import type { ContainerState } from './state.js';

/** A tree to read or write, valid until {@link RootfsView.release}. */
export interface RootfsView {
  /** Host path of the container's `/`. */
  readonly path: string;
  /** Unmounts what the view mounted (idempotent). */
  release(): void;
}

/** The container directory of `state` (its rootfs is `<dir>/rootfs`). */
export function stateDir(state: ContainerState): string {
  return join(state.rootfs, '..');
}

/** The prepared snapshot of a container. */
export async function preparedOf(state: ContainerState): Promise<PreparedRootfs> {
  const prepared = await readPrepared(stateDir(state));
  if (prepared === undefined) throw new ContainerError('ERR_STATE_CORRUPT', `container ${state.id} has no prepared root file system`);
  return prepared;
}

/**
 * Opens the merged tree of a container. `write` views of a stopped overlay
 * container mount the overlay read-write (the container cannot start while
 * it is held: its work dir is in use).
 */
export async function openRootfs(state: ContainerState, mode: 'read' | 'write'): Promise<RootfsView> {
  const prepared = await preparedOf(state);
  if (prepared.kind === 'copy') return { path: prepared.rootfs, release: () => undefined };
  if (isMounted(state.rootfs)) return { path: state.rootfs, release: () => undefined };
  const target = join(stateDir(state), `view-${randomBytes(6).toString('hex')}`);
  mkdirSync(target, { mode: 0o700 });
  const m = prepared.mount;
  const ro: OverlayMount = {
    lowerdirs: [m.upperdir, ...m.lowerdirs],
    upperdir: m.upperdir,
    workdir: m.workdir,
    cwd: m.cwd,
    options: `lowerdir=${[m.upperdir, ...m.lowerdirs].join(':')},redirect_dir=off,metacopy=off`,
  };
  try {
    mountOverlay(mode === 'read' ? ro : m, target);
  } catch (err) {
    rmdirSync(target);
    throw err;
  }
  let released = false;
  return {
    path: target,
    release: () => {
      if (released) return;
      released = true;
      try {
        unmount(target);
      } catch {
        unmount(target, true);
      }
      rmdirSync(target);
    },
  };
}

/**
 * Mount points the runtime creates when the image lacks them. Docker keeps
 * them in a hidden "init" layer, so `docker diff` and `docker commit` never
 * show them; here they are left out while they are still empty.
 */
const RUNTIME_PATHS = new Set(['/proc', '/sys', '/dev', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf']);

/** The changes of the container's writable layer (upper dir, or tree compare for copy). */
export async function containerChanges(state: ContainerState): Promise<LayerChanges> {
  const prepared = await preparedOf(state);
  const all = prepared.kind === 'copy'
    ? diffDirectories(prepared.base, prepared.rootfs)
    : diffOverlay({ lowerdirs: prepared.mount.lowerdirs, upperdir: prepared.mount.upperdir, cwd: prepared.mount.cwd });
  const paths = all.list.map((c) => c.path);
  const hasChildren = (p: string): boolean => paths.some((q) => q.startsWith(`${p}/`));
  const runtimeOnly = (c: { kind: string; path: string }, st: import('node:fs').Stats | undefined): boolean =>
    c.kind === 'A' && RUNTIME_PATHS.has(c.path) && st !== undefined && ((st.isDirectory() && !hasChildren(c.path)) || (st.isFile() && st.size === 0));
  const first = all.filter((c, st) => !runtimeOnly(c, st));
  // `/etc` made only to hold those files goes too, and so does the image's `/etc` that only
  // looks changed because they were created in it (same mode and owner as below).
  const left = first.list.map((c) => c.path);
  const lowers = prepared.kind === 'copy' ? [prepared.base] : prepared.mount.lowerdirs.map((d) => resolve(prepared.mount.cwd, d));
  const below = lowers.map((d) => lstatSync(join(d, 'etc'), { throwIfNoEntry: false })).find((st) => st !== undefined);
  const onlyHolder = (c: { kind: string; path: string }, st: Stats | undefined): boolean =>
    c.path === '/etc' && st?.isDirectory() === true && !left.some((q) => q.startsWith('/etc/')) &&
    (c.kind === 'A' || (c.kind === 'C' && below?.isDirectory() === true && sameOwnerAndMode(below, st)));
  return first.filter((c, st) => !onlyHolder(c, st));
}

function sameOwnerAndMode(a: Stats, b: Stats): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;
}
