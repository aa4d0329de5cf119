/**
 * Public API of the layer area; lib/index.ts re-exports it.
 *
 * @module
 */
export { applyLayer, unpackLayers, type LayerSource, type ApplyResult } from './apply.js';
export type { ApplyOptions, IdMap, IdMapping, WhiteoutMode } from './options.js';
export { diffOverlay, diffDirectories, LayerChanges, type Change, type OverlayDirs } from './changes.js';
export type { LayerBlob, WriteLayerOptions } from './diff-writer.js';
export { exportRootfs, importTar } from './export.js';
export { appendLayers, setConfig, addHistory, setConfigDescriptor, type AppendedLayer, type ManifestAndConfig } from './mutate.js';
export { LayerError } from '../errors.js';
