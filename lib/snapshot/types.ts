/**
 * The snapshotter interface.
 *
 * @module
 */
import type { LayerSource } from '../layer/apply.js';
import type { ApplyOptions } from '../layer/options.js';
import type { OverlayMount } from './mount.js';

/** A layer given to a snapshotter: its diff_id is required (it names the snapshot). */
export interface SnapshotLayer extends LayerSource {
  diffId: string;
}

/** A container's root file system, ready to mount (overlay) or use as is (copy). */
export type PreparedRootfs =
  | { kind: 'overlay'; /** Mount data and directories. */ mount: OverlayMount }
  | { kind: 'copy'; /** The container's own tree. */ rootfs: string; /** The shared, unmodified image tree (lower side of a diff). */ base: string };

/** Images whose snapshots a garbage collection keeps, each as its layers' diff_ids (lowest first). */
export interface GcKeep {
  images: readonly (readonly string[])[];
}

/** What a garbage collection removed. */
export interface GcResult {
  /** Snapshot directory names removed. */
  removed: string[];
}

/** Keeps unpacked layers and gives containers their root file systems. */
export interface Snapshotter {
  /** `overlay` or `copy`. */
  readonly kind: 'overlay' | 'copy';
  /** Gives container `containerId` a root file system made of `layers` (lowest first). */
  prepare(containerId: string, layers: readonly SnapshotLayer[], options?: ApplyOptions): Promise<PreparedRootfs>;
  /** Records that image `imageId` keeps the snapshots of `layers` alive (unpacking them if needed). */
  retain(imageId: string, layers: readonly SnapshotLayer[], options?: ApplyOptions): Promise<void>;
  /** Drops what image `imageId` kept alive. */
  release(imageId: string): void;
  /** Removes container `containerId`'s writable state (it must be unmounted) and its references; walks the tree off the JS thread. */
  remove(containerId: string): Promise<void>;
  /**
   * Removes snapshots that no container or retained image references and that no image of
   * `keep` (each given by its layers' diff_ids, lowest first) would use.
   */
  gc(keep?: GcKeep): GcResult;
}
