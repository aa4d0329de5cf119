/**
 * The overlay snapshotter: each layer unpacked once, keyed by chain ID, and
 * shared read-only as an overlay lowerdir by every container that uses it.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readlinkSync, renameSync, symlinkSync } from 'node:fs';
import { SnapshotError } from '../errors.js';
import type { ApplyOptions } from '../layer/options.js';
import { listXattrs } from '../layer/node-ops.js';
import { removeTree, removeTreeAsync } from '../layer/remove-tree.js';
import { logger } from '../log.js';
import { chainIds } from './chain-id.js';
import { containerDir, snapshotFailure, validateContainerId } from './container-dir.js';
import { overlayOptions } from './mount.js';
import { SnapshotRefs } from './refs.js';
import { collectSnapshots, ensureSnapshot, isComplete, snapshotKey } from './snapshot-dir.js';
import type { GcKeep, GcResult, PreparedRootfs, SnapshotLayer, Snapshotter } from './types.js';

const log = logger('snapshot');

/**
 * Overlay snapshotter over the store at `root`: snapshots in
 * `<root>/snapshots/<hex>/fs`, short links to them in `<root>/snapshots/l/`
 * (so a mount of many layers fits in one page), and each container's
 * `upper/` and `work/` in `<root>/containers/<id>/`.
 */
export class OverlaySnapshotter implements Snapshotter {
  /** Always `overlay`. */
  readonly kind = 'overlay' as const;
  readonly #root: string;
  readonly #snapshots: string;
  readonly #refs: SnapshotRefs;

  /** @param root the storage root (`storageRoot()`). */
  constructor(root: string) {
    this.#root = root;
    this.#snapshots = `${root}/snapshots`;
    this.#refs = new SnapshotRefs(this.#snapshots);
  }

  /** Path of the unpacked tree of `chainId` (complete or not). */
  snapshotPath(chainId: string): string {
    return `${this.#snapshots}/${snapshotKey(chainId)}/fs`;
  }

  /** Whether the snapshot of `chainId` is complete. */
  has(chainId: string): boolean {
    return isComplete(this.#snapshots, snapshotKey(chainId));
  }

  async #ensure(holder: string, layers: readonly SnapshotLayer[], options: ApplyOptions): Promise<string[]> {
    const keys = chainIds(layers.map((l) => l.diffId)).map(snapshotKey);
    // Record the reference first, so a concurrent gc never removes what we are about to use.
    this.#refs.set(holder, keys);
    for (const [i, key] of keys.entries()) {
      const lowerdirs = keys.slice(0, i).reverse().map((k) => `${this.#snapshots}/${k}/fs`);
      await ensureSnapshot(this.#snapshots, key, layers[i] as SnapshotLayer, { ...options, whiteouts: 'overlay', lowerdirs });
      this.#link(key);
    }
    return keys;
  }

  /** A short name for `key` under `snapshots/l/`, pointing at its `fs`. */
  #link(key: string): string {
    const short = createHash('sha256').update(key).digest('base64url').slice(0, 12).replace(/[-_]/g, 'x');
    const link = `${this.#snapshots}/l/${short}`;
    const target = `../${key}/fs`;
    let current: string | undefined;
    try {
      current = readlinkSync(link);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (current !== target) {
      mkdirSync(`${this.#snapshots}/l`, { recursive: true });
      const tmp = `${link}.${process.pid}.tmp`;
      removeTree(tmp);
      symlinkSync(target, tmp);
      renameSync(tmp, link);
    }
    return `l/${short}`;
  }

  /**
   * Index in `keys` (bottom first) of the topmost layer whose root is opaque (its tar has
   * `.wh..wh..opq` at the top, which the unpack records as `trusted.overlay.opaque=y` on the
   * layer's root): the layers below it are hidden. 0 when none is.
   */
  #visibleFrom(keys: readonly string[]): number {
    for (let i = keys.length - 1; i > 0; i--) {
      if (listXattrs(`${this.#snapshots}/${keys[i] as string}/fs`).get('trusted.overlay.opaque')?.toString() === 'y') return i;
    }
    return 0;
  }

  /** {@inheritDoc Snapshotter.prepare} */
  async prepare(containerId: string, layers: readonly SnapshotLayer[], options: ApplyOptions = {}): Promise<PreparedRootfs> {
    try {
      validateContainerId(containerId);
      if (layers.length === 0) throw new SnapshotError('ERR_SNAPSHOT_NO_LAYERS', 'an overlay needs at least one layer');
      const keys = await this.#ensure(`container:${containerId}`, layers, options);
      const dir = containerDir(this.#root, containerId);
      const upperdir = `${dir}/upper`;
      const workdir = `${dir}/work`;
      mkdirSync(upperdir, { recursive: true, mode: 0o755 });
      mkdirSync(workdir, { recursive: true, mode: 0o700 });
      // Overlayfs ignores an opaque lowerdir root: leave out what such a layer hides instead.
      const lowerdirs = keys.slice(this.#visibleFrom(keys)).map((k) => this.#link(k)).reverse();
      if (lowerdirs.length < keys.length) log('container %s: %d layers hidden by an opaque root', containerId, keys.length - lowerdirs.length);
      return { kind: 'overlay', mount: { lowerdirs, upperdir, workdir, cwd: this.#snapshots, options: overlayOptions(lowerdirs, upperdir, workdir) } };
    } catch (err) {
      throw snapshotFailure(err, 'cannot prepare the container root file system');
    }
  }

  /** {@inheritDoc Snapshotter.retain} */
  async retain(imageId: string, layers: readonly SnapshotLayer[], options: ApplyOptions = {}): Promise<void> {
    try {
      await this.#ensure(`image:${imageId}`, layers, options);
    } catch (err) {
      throw snapshotFailure(err, 'cannot keep the image snapshots');
    }
  }

  /** {@inheritDoc Snapshotter.release} */
  release(imageId: string): void {
    this.#refs.delete(`image:${imageId}`);
  }

  /** {@inheritDoc Snapshotter.remove} */
  async remove(containerId: string): Promise<void> {
    try {
      validateContainerId(containerId);
      const dir = containerDir(this.#root, containerId);
      for (const d of ['upper', 'work']) await removeTreeAsync(`${dir}/${d}`);
      this.#refs.delete(`container:${containerId}`);
    } catch (err) {
      throw snapshotFailure(err, 'cannot remove the container snapshot');
    }
  }

  /** {@inheritDoc Snapshotter.gc} */
  gc(keep: GcKeep = { images: [] }): GcResult {
    try {
      const used = this.#refs.inUse();
      for (const diffIds of keep.images) for (const c of chainIds(diffIds)) used.add(snapshotKey(c));
      const removed = collectSnapshots(this.#snapshots, used);
      const links = `${this.#snapshots}/l`;
      if (existsSync(links)) {
        for (const name of readdirSync(links)) {
          if (!existsSync(`${links}/${name}`)) removeTree(`${links}/${name}`);
        }
      }
      log('gc removed %d snapshots', removed.length);
      return { removed };
    } catch (err) {
      throw snapshotFailure(err, 'cannot collect snapshots');
    }
  }
}
