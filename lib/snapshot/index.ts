/**
 * Public API of the snapshot area; lib/index.ts re-exports it.
 *
 * @module
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CopySnapshotter } from './copy.js';
import { overlaySupported } from './mount.js';
import { OverlaySnapshotter } from './overlay.js';
import type { Snapshotter } from './types.js';

export { chainIds } from './chain-id.js';
export { CopySnapshotter } from './copy.js';
export { OverlaySnapshotter } from './overlay.js';
export { mountOverlay, mountOverlayAsync, unmount, unmountAsync, overlaySupported, overlayOptions, type OverlayMount } from './mount.js';
export type { Snapshotter, SnapshotLayer, PreparedRootfs, GcResult, GcKeep } from './types.js';
export { SnapshotError } from '../errors.js';

/**
 * The overlay snapshotter where the kernel allows overlay mounts, else the copy snapshotter.
 * The first choice for a storage root is recorded in `snapshots/driver`, so every later
 * process uses the same one (containers prepared by one must be removable by the other) and
 * skips the probe mount.
 */
export function createSnapshotter(root: string, kind?: 'overlay' | 'copy'): Snapshotter {
  const k = kind ?? recordedKind(root);
  return k === 'overlay' ? new OverlaySnapshotter(root) : new CopySnapshotter(root);
}

function recordedKind(root: string): 'overlay' | 'copy' {
  const file = join(root, 'snapshots', 'driver');
  try {
    const text = readFileSync(file, 'utf8').trim();
    if (text === 'overlay' || text === 'copy') return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const kind = overlaySupported() ? 'overlay' : 'copy';
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${kind}\n`);
  renameSync(tmp, file);
  return kind;
}
