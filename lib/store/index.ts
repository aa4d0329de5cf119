/**
 * The content store (internal to ocikit; other areas import it from here).
 *
 * @module
 */
export { Store } from './store.js';
export { collectGarbage, type GcResult } from './gc.js';
export { REF_NAME, REPO_DIGEST, refOf } from './refs.js';
export type { Lease } from './leases.js';
export type { WriteBlobOptions } from './blob-writer.js';
