/**
 * Public API of the snapshot area; lib/index.ts re-exports it.
 *
 * @module
 */
import { CopySnapshotter } from './copy.js';
import { overlaySupported } from './mount.js';
import { OverlaySnapshotter } from './overlay.js';
import type { Snapshotter } from './types.js';

export { chainIds } from './chain-id.js';
export { CopySnapshotter } from './copy.js';
export { OverlaySnapshotter } from './overlay.js';
export { mountOverlay, unmount, overlaySupported, overlayOptions, type OverlayMount } from './mount.js';
export type { Snapshotter, SnapshotLayer, PreparedRootfs, GcResult, GcKeep } from './types.js';
export { SnapshotError } from '../errors.js';

/** The overlay snapshotter where the kernel allows overlay mounts, else the copy snapshotter. */
export function createSnapshotter(root: string, kind?: 'overlay' | 'copy'): Snapshotter {
  const k = kind ?? (overlaySupported() ? 'overlay' : 'copy');
  return k === 'overlay' ? new OverlaySnapshotter(root) : new CopySnapshotter(root);
}
