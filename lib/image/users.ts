/**
 * Which containers use an image: what `Image.remove` must not take from under them.
 *
 * @module
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerStore } from '../container/store.js';
import { readStateFile } from '../container/state.js';
import { logger } from '../log.js';

const log = logger('image');

/** A container created from an image. */
export interface ImageUser {
  id: string;
  name: string;
  /** `running`, `exited` … as recorded. */
  status: string;
}

/**
 * The containers of storage root `root` created from the image with config digest `imageId`
 * or manifest digest `digest`, whatever their status. A record that cannot be read is skipped.
 */
export async function containersUsing(root: string, imageId: string, digest: string): Promise<ImageUser[]> {
  const store = new ContainerStore(root);
  let ids: string[];
  try {
    ids = (await readdir(store.dir)).filter((e) => /^[0-9a-f]{64}$/.test(e));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const users: ImageUser[] = [];
  for (const id of ids) {
    try {
      const s = await readStateFile(join(store.containerDir(id), 'state.json'));
      if (s !== undefined && (s.image.id === imageId || s.image.digest === digest)) users.push({ id: s.id, name: s.name, status: s.status });
    } catch (err) {
      log('cannot read container %s while checking image users: %s', id, String(err));
    }
  }
  return users;
}
