/**
 * Public API of the image area; lib/index.ts re-exports it.
 *
 * @module
 */
export { Image } from './image.js';
export type { PullOptions, PushOptions, RemoveOptions, SaveOptions, StoreOptions, ArchiveFormat } from './options.js';
export type { ProgressEvent, ProgressListener, ProgressState } from './progress.js';
export type { ImageInspect, HistoryItem } from './inspect.js';
export type { ImportOptions } from './import.js';
