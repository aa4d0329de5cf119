/**
 * Garbage collection: removes blobs no index entry reaches (through indexes,
 * manifests, configs and layers), except those leased by running pulls, and
 * temp files of writers that no longer run.
 *
 * @module
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../log.js';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/image-types.js';
import { isIndexMediaType, isManifestMediaType } from '../oci/media-types.js';
import { removeDeadIngest } from './ingest.js';
import { leasedDigests } from './leases.js';
import type { Store } from './store.js';

const log = logger('store');

/** What a collection removed. */
export interface GcResult {
  removed: string[];
  freedBytes: number;
}

async function mark(store: Store, roots: Descriptor[]): Promise<Set<string>> {
  const live = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const d = queue.pop();
    if (d === undefined || live.has(d.digest)) continue;
    live.add(d.digest);
    const manifestLike = isManifestMediaType(d.mediaType) || isIndexMediaType(d.mediaType);
    if (!manifestLike || (await store.blobSize(d.digest)) === undefined) continue;
    const doc = JSON.parse((await store.readBytes(d.digest, 4 * 1024 * 1024)).toString('utf8')) as Partial<ImageManifest & ImageIndex>;
    if (Array.isArray(doc.manifests)) queue.push(...doc.manifests);
    if (doc.config !== undefined) queue.push(doc.config);
    if (Array.isArray(doc.layers)) queue.push(...doc.layers);
    if (doc.subject !== undefined) live.add(doc.subject.digest);
  }
  return live;
}

/** Collects garbage in `store`, holding its index lock. */
export async function collectGarbage(store: Store): Promise<GcResult> {
  return store.withIndexLock(async () => {
    const index = await store.readIndex();
    const live = await mark(store, index.manifests);
    for (const d of await leasedDigests(store.leaseDir)) live.add(d);
    const result: GcResult = { removed: [], freedBytes: 0 };
    const blobsDir = join(store.root, 'blobs');
    for (const algorithm of await readdir(blobsDir)) {
      for (const hex of await readdir(join(blobsDir, algorithm))) {
        const digest = `${algorithm}:${hex}`;
        if (live.has(digest)) continue;
        const path = join(blobsDir, algorithm, hex);
        const st = await stat(path).catch(() => undefined);
        if (st === undefined) continue;
        await rm(path, { force: true });
        result.removed.push(digest);
        result.freedBytes += st.size;
      }
    }
    await removeDeadIngest(store.ingestDir, true);
    log('gc removed %d blobs (%d bytes)', result.removed.length, result.freedBytes);
    return result;
  });
}
