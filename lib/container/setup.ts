/**
 * Creating a container on disk (state, snapshot, volumes) and tearing it down
 * again; mounting and unmounting its root file system.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { isMounted, isMountedAsync } from './mountinfo.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerError, VolumeError } from '../errors.js';
import type { Image } from '../image/image.js';
import { releaseHeld } from './held.js';
import { mountOverlayAsync, unmount } from '../snapshot/index.js';
import type { SnapshotLayer } from '../snapshot/types.js';
import { storageFor } from '../storage.js';
import { acquireVolume, releaseVolume } from '../volume/in-use.js';
import { ANONYMOUS_VOLUME_LABEL, Volume } from '../volume/volume.js';
import type { ResolvedMount } from './mounts.js';
import { cleanTarget, imageVolumeTargets } from './mounts.js';
import { crashPoint } from '../util/crash-point.js';
import { generateId } from './names.js';
import { checkImagePlatform } from './validate.js';
import type { ContainerOptions, MountOption } from './options.js';
import { readPrepared, removeRun, writeImageConfig, writePrepared } from './runtime-record.js';
import { buildSpec } from './spec-builder.js';
import type { ContainerState, MountRecord } from './state.js';
import { STATE_VERSION } from './state.js';
import type { ContainerStore } from './store.js';

/** The layers of `image` as the snapshotter wants them. */
export function imageLayers(image: Image): SnapshotLayer[] {
  const diffIds = image.config.rootfs?.diff_ids ?? [];
  return image.layers.map((d, i) => {
    const diffId = diffIds[i];
    if (diffId === undefined) throw new ContainerError('ERR_IMAGE_INVALID', `image ${image.id} has no diff_id for layer ${i}`);
    return { path: image.store.blobPath(d.digest), mediaType: d.mediaType, digest: d.digest, diffId };
  });
}

/** An anonymous volume, named now so that the container's record names it before it exists. */
function anonymousVolume(option: MountOption): MountRecord {
  return { option, anonymous: true, volume: randomBytes(32).toString('hex') };
}

/** The mounts to resolve for `options` on `image`: the options' own, then anonymous volumes for the image's `Volumes`. */
function plannedMounts(image: Image, options: ContainerOptions): MountRecord[] {
  const out: MountRecord[] = [];
  for (const m of options.mounts ?? []) {
    if (m.type === 'bind') {
      if (!m.source.startsWith('/') || !existsSync(m.source)) {
        throw new ContainerError('ERR_INVALID_MOUNT', `bind source path does not exist: ${m.source}`);
      }
      out.push({ option: m, hostPath: m.source });
    } else if (m.type === 'volume') {
      out.push(m.source ? { option: m, volume: m.source } : anonymousVolume(m));
    } else out.push({ option: m });
  }
  for (const target of imageVolumeTargets(image.config.config ?? {}, options)) {
    out.push(anonymousVolume({ type: 'volume', target }));
  }
  return out;
}

/** Records as the spec builder's {@link ResolvedMount}s. */
export function resolvedMounts(records: MountRecord[]): ResolvedMount[] {
  return records.map((r) => ({ option: r.option, ...(r.hostPath ? { hostPath: r.hostPath } : {}), ...(r.anonymous ? { anonymous: true } : {}) }));
}

/**
 * Creates container records for `image`: validates the options by building a
 * spec, claims the name, prepares the snapshot and acquires the volumes.
 * Nothing is left behind on failure.
 */
export async function createOnDisk(store: ContainerStore, image: Image, ref: string, options: ContainerOptions): Promise<ContainerState> {
  checkImagePlatform(image.config, options.platform, ref);
  const id = generateId();
  const planned = plannedMounts(image, options);
  const probe = planned.map((r) => (r.option.type === 'volume' ? { ...r, hostPath: '/nonexistent' } : r));
  const built = buildSpec({
    id,
    imageConfig: image.config,
    options,
    rootfsPath: '/nonexistent',
    resolvedUser: { uid: 0, gid: 0, additionalGids: [] },
    mounts: resolvedMounts(probe),
  });
  const snap = storageFor(store.root).snapshotter;
  const dir = store.containerDir(id);
  let state = await store.create({
    version: STATE_VERSION,
    id,
    name: options.name ?? '',
    created: new Date().toISOString(),
    image: { ref, id: image.id, digest: image.digest },
    config: { options, merged: built.merged },
    status: 'created',
    oomKilled: false,
    disposable: options.disposable === true,
    ownerPid: process.pid,
    snapshotter: snap.kind,
    rootfs: join(dir, 'rootfs'),
    mounts: planned, // what may be acquired, so a rollback by another process finds it
  });
  const acquired: MountRecord[] = [];
  try {
    crashPoint('create:recorded');
    await writeImageConfig(dir, image.config);
    const prepared = await snap.prepare(id, imageLayers(image));
    crashPoint('create:prepared');
    await writePrepared(dir, prepared);
    const rootfs = prepared.kind === 'copy' ? prepared.rootfs : join(dir, 'rootfs');
    mkdirSync(rootfs, { recursive: true, mode: 0o755 });
    for (const r of planned) {
      if (r.option.type !== 'volume') {
        acquired.push(r);
        continue;
      }
      const vol = await Volume.create(r.volume, r.anonymous === true ? { root: store.root, labels: { [ANONYMOUS_VOLUME_LABEL]: '' } } : { root: store.root });
      const rec: MountRecord = { ...r, volume: vol.name };
      rec.hostPath = await acquireVolume(store.root, vol.name, id);
      acquired.push(rec);
    }
    crashPoint('create:volumes');
    return await store.finishCreate({ ...state, rootfs, mounts: acquired });
  } catch (err) {
    await destroy(store, state, true).catch(() => undefined);
    throw err;
  }
}

export { isMounted } from './mountinfo.js';

/** Mounts the container's overlay at its rootfs (a copy rootfs needs nothing). */
export async function mountRootfs(state: ContainerState): Promise<void> {
  const prepared = await readPrepared(join(state.rootfs, '..'));
  if (prepared === undefined) throw new ContainerError('ERR_STATE_CORRUPT', `container ${state.id} has no prepared root file system`);
  if (prepared.kind !== 'overlay' || (await isMountedAsync(state.rootfs))) return;
  await mkdir(state.rootfs, { recursive: true, mode: 0o755 });
  await mountOverlayAsync(prepared.mount, state.rootfs);
}

/** Unmounts the rootfs if mounted (lazily when busy). */
export function unmountRootfs(state: ContainerState): void {
  if (!isMounted(state.rootfs)) return;
  try {
    unmount(state.rootfs);
  } catch (err) {
    if (!isMounted(state.rootfs)) return; // another process unmounted it meanwhile
    try {
      unmount(state.rootfs, true);
    } catch {
      if (isMounted(state.rootfs)) throw err;
    }
  }
}

/** Releases what an exited run holds: its mounts and cgroup (see held.ts). The state is not changed. */
export async function releaseRun(dir: string): Promise<void> {
  await releaseHeld(dir, false);
}

/** Removes everything of a container that no longer runs: mounts, cgroup, snapshot, volumes, records. */
export async function destroy(store: ContainerStore, state: ContainerState, removeAnonymous: boolean): Promise<void> {
  const dir = store.containerDir(state.id);
  // whatever a start killed midway left, also under a state that says Created or Exited
  await releaseHeld(dir, true);
  await removeRun(dir);
  await storageFor(store.root).snapshotter.remove(state.id);
  for (const m of state.mounts) {
    if (m.volume === undefined) continue;
    await releaseVolume(store.root, m.volume, state.id);
    if (removeAnonymous && m.anonymous) {
      try {
        await Volume.remove(m.volume, { root: store.root });
      } catch (err) {
        if (!(err instanceof VolumeError)) throw err; // in use by another container, or gone: kept
      }
    }
  }
  await store.removeState(state.id);
}

/** The target of a mount record, cleaned. */
export function mountTarget(m: MountRecord): string {
  return cleanTarget(m.option.target);
}
