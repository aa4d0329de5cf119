/**
 * Docker's copy-up: a volume mounted where the image has content starts with a
 * copy of that content, if the volume is empty.
 *
 * @module
 */
import { type Dirent } from 'node:fs';
import { chmod, constants, copyFile, lchown, lstat, lutimes, mkdir, readdir, readlink, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { VolumeError } from '../errors.js';
import { logger } from '../log.js';
import { dataDir, requireRecord, withVolumesLock } from './volume-record.js';

const log = logger('volume');

/** What {@link populateVolume} did. */
export interface PopulateResult {
  /** Whether content was copied (false when the volume was not empty or the source absent). */
  copied: boolean;
  /** Paths (relative to the source) of entries not copied: devices, FIFOs and sockets. */
  skipped: string[];
}

/**
 * Copies the directory `sourceDir` (the image's content at the mount target,
 * already resolved inside the rootfs by the caller) into volume `name` of storage
 * root `root` when the
 * volume is empty. Symlinks are copied as symlinks and never followed; owners,
 * modes and times are kept; extended attributes are not copied.
 *
 * Only done while no container other than `containerId` uses the volume, under
 * the volumes lock, so no running container can swap a directory being filled
 * for a symlink.
 *
 * @throws VolumeError `ERR_VOLUME_IN_USE` when another container uses it, `ERR_VOLUME_POPULATE` when copying fails.
 */
export async function populateVolume(root: string, name: string, containerId: string, sourceDir: string): Promise<PopulateResult> {
  return withVolumesLock(root, async () => {
    const record = await requireRecord(root, name);
    const others = record.usedBy.filter((id) => id !== containerId);
    if (others.length > 0) {
      throw new VolumeError('ERR_VOLUME_IN_USE', `volume ${name} is in use by ${others.join(', ')}; not copying image content into it`, {
        volume: name,
      });
    }
    const target = dataDir(root, name);
    const result: PopulateResult = { copied: false, skipped: [] };
    try {
      const source = await lstat(sourceDir).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (source === undefined || !source.isDirectory()) return result;
      if ((await readdir(target)).length > 0) return result;
      await copyTree(sourceDir, target, '', result.skipped);
      await lchown(target, source.uid, source.gid);
      await chmod(target, source.mode & 0o7777);
      await utimes(target, source.atime, source.mtime);
    } catch (err) {
      throw new VolumeError('ERR_VOLUME_POPULATE', `cannot copy ${sourceDir} into volume ${name}`, { cause: err, volume: name });
    }
    result.copied = true;
    log('populated volume %s from %s (%d skipped)', name, sourceDir, result.skipped.length);
    return result;
  });
}

async function copyTree(from: string, to: string, rel: string, skipped: string[]): Promise<void> {
  const entries: Dirent[] = await readdir(from, { withFileTypes: true });
  for (const entry of entries) {
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
    const st = await lstat(src);
    if (st.isDirectory()) {
      await mkdir(dst, { mode: 0o700 });
      await copyTree(src, dst, relPath, skipped);
    } else if (st.isFile()) {
      await copyFile(src, dst, constants.COPYFILE_EXCL);
    } else if (st.isSymbolicLink()) {
      await symlink(await readlink(src), dst);
    } else {
      skipped.push(relPath);
      continue;
    }
    await lchown(dst, st.uid, st.gid);
    if (!st.isSymbolicLink()) {
      // after chown, which clears setuid and setgid bits
      await chmod(dst, st.mode & 0o7777);
      await utimes(dst, st.atime, st.mtime);
    } else {
      await lutimes(dst, st.atime, st.mtime);
    }
  }
}
