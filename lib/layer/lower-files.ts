/**
 * Helpers of the entry writer that do not need its state: id mapping, and
 * copying a lower layer's file for a hardlink in overlay mode.
 *
 * @module
 */
import * as fs from 'node:fs';
import { LayerError } from '../errors.js';
import type { IdMapping } from './options.js';
import { resolveParents } from './safe-path.js';

/** Maps a layer id through `ranges` (identity when there are none). */
export function mapId(id: number, ranges: IdMapping[] | undefined, entry: string): number {
  if (ranges === undefined) return id;
  for (const r of ranges) if (id >= r.containerID && id < r.containerID + r.size) return r.hostID + (id - r.containerID);
  throw new LayerError('ERR_LAYER_ID_UNMAPPED', `id ${id} has no mapping`, { entry });
}

/**
 * Overlay mode: a hardlink to a file of a lower layer cannot be a link
 * across snapshot directories, so the file is copied to `host`, as overlayfs
 * would on copy-up. `lowerdirs` are topmost first. Returns whether a lower
 * layer had the target.
 */
export function copyFromLower(lowerdirs: readonly string[], tcomps: string[], host: string, chown: boolean, entry: string): boolean {
  for (const lower of lowerdirs) {
    const src = `${lower}/${resolveParents(lower, tcomps, undefined, entry).join('/')}`;
    const st = fs.lstatSync(src, { throwIfNoEntry: false });
    if (st === undefined) continue;
    if ((st.isCharacterDevice() && st.rdev === 0) || st.isDirectory()) return false;
    if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), host);
    else if (st.isFile()) fs.copyFileSync(src, host, fs.constants.COPYFILE_EXCL);
    else return false;
    if (chown) fs.lchownSync(host, st.uid, st.gid);
    if (!st.isSymbolicLink()) fs.chmodSync(host, st.mode & 0o7777);
    fs.lutimesSync(host, st.atime, st.mtime);
    return true;
  }
  return false;
}
