/**
 * The copy snapshotter, for where overlay mounts are not possible: the image's
 * layers are applied once into a shared base tree (keyed by the top chain ID,
 * reference-counted like overlay snapshots), and every container gets its own
 * copy of it (`cp -a`, which keeps owners, modes, hardlinks, devices and
 * xattrs, and uses reflinks where the file system has them). The base stays
 * as the lower side of `diffDirectories` for commit.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { SnapshotError } from '../errors.js';
import { unpackLayers } from '../layer/apply.js';
import type { ApplyOptions } from '../layer/options.js';
import { removeTreeAsync } from '../layer/remove-tree.js';
import { chainIds } from './chain-id.js';
import { containerDir, snapshotFailure, validateContainerId } from './container-dir.js';
import { SnapshotRefs } from './refs.js';
import { collectSnapshots, ensureTree, snapshotKey } from './snapshot-dir.js';
import type { GcKeep, GcResult, PreparedRootfs, SnapshotLayer, Snapshotter } from './types.js';

const run = promisify(execFile);

/** Copy snapshotter over the store at `root`: bases in `<root>/snapshots/flat/<hex>/fs`, rootfs in `<root>/containers/<id>/rootfs`. */
export class CopySnapshotter implements Snapshotter {
  /** Always `copy`. */
  readonly kind = 'copy' as const;
  readonly #root: string;
  readonly #flat: string;
  readonly #refs: SnapshotRefs;

  /** @param root the storage root (`storageRoot()`). */
  constructor(root: string) {
    this.#root = root;
    this.#flat = `${root}/snapshots/flat`;
    this.#refs = new SnapshotRefs(this.#flat);
  }

  async #base(holder: string, layers: readonly SnapshotLayer[], options: ApplyOptions): Promise<string> {
    if (layers.length === 0) throw new SnapshotError('ERR_SNAPSHOT_NO_LAYERS', 'a root file system needs at least one layer');
    const key = snapshotKey(chainIds(layers.map((l) => l.diffId)).at(-1) as string);
    this.#refs.set(holder, [key]);
    const dir = await ensureTree(this.#flat, key, async (fs) => {
      await unpackLayers(layers, fs, options);
    });
    return `${dir}/fs`;
  }

  /** The shared base tree of container `containerId` (the image as unpacked), for diffs. */
  basePath(containerId: string): string {
    const keys = this.#refs.get(`container:${containerId}`);
    if (keys[0] === undefined) throw new SnapshotError('ERR_SNAPSHOT_UNKNOWN', `no snapshot for container ${containerId}`);
    return `${this.#flat}/${keys[0]}/fs`;
  }

  /** {@inheritDoc Snapshotter.prepare} */
  async prepare(containerId: string, layers: readonly SnapshotLayer[], options: ApplyOptions = {}): Promise<PreparedRootfs> {
    try {
      validateContainerId(containerId);
      const base = await this.#base(`container:${containerId}`, layers, options);
      const dir = containerDir(this.#root, containerId);
      const rootfs = `${dir}/rootfs`;
      await mkdir(dir, { recursive: true });
      await removeTreeAsync(rootfs);
      try {
        // a child process, not execFileSync: copying a tree takes long and must not hold the JS thread
        await run('cp', ['-a', '--reflink=auto', base, rootfs], { maxBuffer: 1 << 20 });
      } catch (cause) {
        await removeTreeAsync(rootfs);
        const stderr = (cause as { stderr?: string }).stderr?.trim() || String(cause);
        throw new SnapshotError('ERR_SNAPSHOT_COPY', `cannot copy the image tree: ${stderr}`, { cause });
      }
      return { kind: 'copy', rootfs, base };
    } catch (err) {
      throw snapshotFailure(err, 'cannot prepare the container root file system');
    }
  }

  /** {@inheritDoc Snapshotter.retain} */
  async retain(imageId: string, layers: readonly SnapshotLayer[], options: ApplyOptions = {}): Promise<void> {
    try {
      await this.#base(`image:${imageId}`, layers, options);
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
      await removeTreeAsync(`${containerDir(this.#root, containerId)}/rootfs`);
      this.#refs.delete(`container:${containerId}`);
    } catch (err) {
      throw snapshotFailure(err, 'cannot remove the container snapshot');
    }
  }

  /** {@inheritDoc Snapshotter.gc} */
  gc(keep: GcKeep = { images: [] }): GcResult {
    try {
      const used = this.#refs.inUse();
      for (const diffIds of keep.images) {
        const top = chainIds(diffIds).at(-1);
        if (top !== undefined) used.add(snapshotKey(top));
      }
      return { removed: collectSnapshots(this.#flat, used) };
    } catch (err) {
      throw snapshotFailure(err, 'cannot collect snapshots');
    }
  }
}
