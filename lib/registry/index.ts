/**
 * Public API of the registry area; lib/index.ts re-exports it.
 *
 * @module
 */
export { Registry, MANIFEST_ACCEPT, type ListOptions, type BlobReadOptions } from './registry.js';
export type { RegistryOptions, RegistryCredentials, RetryOptions } from './options.js';
export { bufferSource, fileSource, type BlobSource } from './blob-source.js';
export type { UploadResult } from './blob-upload.js';
export type { FetchedManifest } from './manifest-check.js';
export { MAX_MANIFEST_BYTES } from './manifest-check.js';
export type { SearchResult, SearchOptions } from './search.js';
