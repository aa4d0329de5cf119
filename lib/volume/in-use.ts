/**
 * Which containers use a volume. Container code calls {@link acquireVolume}
 * before mounting a volume and {@link releaseVolume} once the container is gone;
 * a volume with users is not removed without `force`. A volume with driver
 * options is mounted at its first user and unmounted after its last.
 *
 * @module
 */
import { VolumeError } from '../errors.js';
import { mountOptions, unmount } from './local-mount.js';
import { dataDir, requireRecord, withVolumesLock, writeRecord } from './volume-record.js';

const CONTAINER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function checkContainerId(volume: string, id: string): void {
  if (typeof id !== 'string' || !CONTAINER_ID.test(id)) {
    throw new VolumeError('ERR_INVALID_CONTAINER_ID', `volume ${volume}: invalid container id ${JSON.stringify(id)}`, { volume });
  }
}

/**
 * Records that container `containerId` uses volume `name` of storage root `root` and returns the host
 * path to mount. Acquiring twice for one container counts once.
 *
 * @throws VolumeError `ERR_VOLUME_NOT_FOUND`, `ERR_VOLUME_MOUNT`.
 */
export async function acquireVolume(root: string, name: string, containerId: string): Promise<string> {
  checkContainerId(name, containerId);
  return withVolumesLock(root, async () => {
    const record = await requireRecord(root, name);
    if (!record.usedBy.includes(containerId)) record.usedBy.push(containerId);
    if (Object.keys(record.options).length > 0 && !record.mounted) {
      await mountOptions(name, record.options, dataDir(root, name));
      record.mounted = true;
    }
    await writeRecord(root, record);
    return dataDir(root, name);
  });
}

/**
 * Records that container `containerId` no longer uses volume `name`. Releasing
 * a volume the container does not hold, or one already removed, does nothing.
 *
 * @throws VolumeError `ERR_VOLUME_UNMOUNT` when the last user leaves and the unmount fails.
 */
export async function releaseVolume(root: string, name: string, containerId: string): Promise<void> {
  checkContainerId(name, containerId);
  await withVolumesLock(root, async () => {
    let record;
    try {
      record = await requireRecord(root, name);
    } catch (err) {
      if (err instanceof VolumeError && err.code === 'ERR_VOLUME_NOT_FOUND') return;
      throw err;
    }
    const before = record.usedBy.length;
    record.usedBy = record.usedBy.filter((id) => id !== containerId);
    if (record.usedBy.length === before) return;
    if (record.usedBy.length === 0 && record.mounted) {
      await unmount(name, dataDir(root, name));
      record.mounted = false;
    }
    await writeRecord(root, record);
  });
}
