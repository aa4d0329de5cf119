/**
 * Named volumes of the `local` driver, kept under `<storage root>/volumes`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { VolumeError } from '../errors.js';
import { logger } from '../log.js';
import type { StoreOptions } from '../image/options.js';
import { resolveRoot } from '../paths.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { checkDriverOptions, unmount } from './local-mount.js';
import {
  type VolumeRecord,
  checkVolumeName,
  dataDir,
  readRecord,
  requireRecord,
  volumeDir,
  volumesDir,
  withVolumesLock,
  writeRecord,
} from './volume-record.js';

const log = logger('volume');

/** Label Docker puts on volumes created without a name. */
export const ANONYMOUS_VOLUME_LABEL = 'com.docker.volume.anonymous';

/** Options of {@link Volume.create}. */
export interface VolumeCreateOptions extends StoreOptions {
  /** Labels to attach. */
  labels?: Record<string, string>;
  /**
   * Options of the local driver, as `docker volume create --opt`: `type`,
   * `device` and `o`, mounted on the volume while a container uses it
   * (for example `{ type: 'tmpfs', device: 'tmpfs', o: 'size=64m' }`).
   */
  driverOpts?: Record<string, string>;
}

/** Options of {@link Volume.remove}. */
export interface VolumeRemoveOptions extends StoreOptions {
  /** Remove the volume even when containers use it. */
  force?: boolean;
}

/** Options of {@link Volume.list}. */
export interface VolumeListOptions extends StoreOptions {
  /** Only volumes no container uses (`true`) or only used ones (`false`). */
  dangling?: boolean;
  /** Only volumes with this label: `key` or `key=value`. */
  label?: string;
}

/** Options of {@link Volume.prune}. */
export interface VolumePruneOptions extends StoreOptions {
  /** Also remove unused named volumes, not only anonymous ones. */
  all?: boolean;
}

/** What {@link Volume.inspect} returns: the shape of `docker volume inspect`. */
export interface VolumeInspect {
  Name: string;
  Driver: 'local';
  /** Host path of the volume's data. */
  Mountpoint: string;
  /** RFC 3339 time of creation. */
  CreatedAt: string;
  Labels: Record<string, string>;
  Scope: 'local';
  /** Driver options. */
  Options: Record<string, string>;
}

/**
 * A named volume: a directory on the host that outlives containers.
 *
 * ```ts
 * const v = await Volume.create('data', { labels: { app: 'web' } });
 * (await v.inspect()).Mountpoint; // <root>/volumes/data/_data
 * await Volume.remove('data');
 * ```
 */
export class Volume {
  /** The volume's name. */
  readonly name: string;
  /** Host path of the volume's data, which containers mount. */
  readonly mountpoint: string;
  /** When the volume was created. */
  readonly createdAt: Date;
  /** Labels given at creation. */
  readonly labels: Readonly<Record<string, string>>;
  /** Driver options given at creation. */
  readonly options: Readonly<Record<string, string>>;
  /** Ids of the containers that used the volume when this object was read. */
  readonly usedBy: readonly string[];
  /** The storage root it lives in. */
  readonly #root: string;

  private constructor(root: string, record: VolumeRecord) {
    this.#root = root;
    this.name = record.name;
    this.mountpoint = dataDir(root, record.name);
    this.createdAt = new Date(record.createdAt);
    this.labels = Object.freeze({ ...record.labels });
    this.options = Object.freeze({ ...record.options });
    this.usedBy = Object.freeze([...record.usedBy]);
  }

  /**
   * Creates a volume; without a name, an anonymous one with a random 64-hex
   * name. Creating a volume that exists returns it, unless the labels or
   * driver options given differ from its own.
   *
   * @throws VolumeError `ERR_INVALID_VOLUME_NAME`, `ERR_INVALID_VOLUME_OPTION`, `ERR_VOLUME_EXISTS`.
   */
  static async create(name?: string, options: VolumeCreateOptions = {}): Promise<Volume> {
    const anonymous = name === undefined;
    const volumeName = name ?? randomBytes(32).toString('hex');
    checkVolumeName(volumeName);
    const labels = { ...(options.labels ?? {}) };
    if (Object.values(labels).some((v) => typeof v !== 'string')) {
      throw new VolumeError('ERR_INVALID_VOLUME_OPTION', `volume ${volumeName}: label values must be strings`, { volume: volumeName });
    }
    if (anonymous) labels[ANONYMOUS_VOLUME_LABEL] = '';
    const driverOpts = { ...(options.driverOpts ?? {}) };
    checkDriverOptions(volumeName, driverOpts);
    const root = resolveRoot(options.root);

    return withVolumesLock(root, async () => {
      const existing = await readRecord(root, volumeName);
      if (existing !== undefined) {
        const conflict =
          (options.labels !== undefined && !sameMap(existing.labels, labels)) ||
          (options.driverOpts !== undefined && !sameMap(existing.options, driverOpts));
        if (conflict) {
          throw new VolumeError('ERR_VOLUME_EXISTS', `volume ${volumeName} already exists with other labels or options`, {
            volume: volumeName,
          });
        }
        return new Volume(root, existing);
      }
      const record: VolumeRecord = {
        name: volumeName,
        createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        labels,
        options: driverOpts,
        usedBy: [],
        mounted: false,
      };
      // build the volume beside its final place, then rename it in: it appears whole or not at all
      const staging = join(volumesDir(root), `.creating-${randomBytes(8).toString('hex')}`);
      try {
        await mkdir(join(staging, '_data'), { recursive: true, mode: 0o755 });
        await writeJsonAtomic(join(staging, 'volume.json'), record);
        await rm(volumeDir(root, volumeName), { recursive: true, force: true }); // a half-made volume with no volume.json
        await rename(staging, volumeDir(root, volumeName));
      } catch (err) {
        await rm(staging, { recursive: true, force: true });
        throw new VolumeError('ERR_VOLUME_CREATE', `cannot create volume ${volumeName}`, { cause: err, volume: volumeName });
      }
      log('created volume %s', volumeName);
      return new Volume(root, record);
    });
  }

  /**
   * The volume called `name`.
   *
   * @throws VolumeError `ERR_VOLUME_NOT_FOUND`, `ERR_INVALID_VOLUME_NAME`.
   */
  static async get(name: string, options: StoreOptions = {}): Promise<Volume> {
    const root = resolveRoot(options.root);
    return new Volume(root, await requireRecord(root, name));
  }

  /** Every volume, sorted by name, optionally filtered. */
  static async list(options: VolumeListOptions = {}): Promise<Volume[]> {
    const root = resolveRoot(options.root);
    let names: string[];
    try {
      names = await readdir(volumesDir(root));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new VolumeError('ERR_VOLUME_READ', `cannot list ${volumesDir(root)}`, { cause: err });
    }
    const volumes: Volume[] = [];
    for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
      const record = await readRecord(root, name);
      if (record === undefined) continue;
      const volume = new Volume(root, record);
      if (options.dangling !== undefined && (volume.usedBy.length === 0) !== options.dangling) continue;
      if (options.label !== undefined && !hasLabel(volume.labels, options.label)) continue;
      volumes.push(volume);
    }
    return volumes;
  }

  /**
   * Removes volume `name` and its data. Refuses while containers use it,
   * unless `force` (then unmounts its driver options first, if mounted).
   *
   * @throws VolumeError `ERR_VOLUME_NOT_FOUND`, `ERR_VOLUME_IN_USE`, `ERR_VOLUME_UNMOUNT`, `ERR_VOLUME_REMOVE`.
   */
  static async remove(name: string, options: VolumeRemoveOptions = {}): Promise<void> {
    checkVolumeName(name);
    const root = resolveRoot(options.root);
    const trash = join(volumesDir(root), `.removing-${randomBytes(8).toString('hex')}`);
    await withVolumesLock(root, async () => {
      const record = await requireRecord(root, name);
      if (record.usedBy.length > 0 && options.force !== true) {
        throw new VolumeError('ERR_VOLUME_IN_USE', `volume ${name} is in use by ${record.usedBy.join(', ')}`, { volume: name });
      }
      if (record.mounted) {
        await unmount(name, dataDir(root, name));
        record.mounted = false;
        await writeRecord(root, record);
      }
      await rename(volumeDir(root, name), trash);
    });
    // the volume is gone from every listing now; deleting its data can take its time (symlinks are not followed)
    try {
      await rm(trash, { recursive: true, force: true });
    } catch (err) {
      throw new VolumeError('ERR_VOLUME_REMOVE', `volume ${name} was removed but its data at ${trash} was not`, {
        cause: err,
        volume: name,
      });
    }
    log('removed volume %s', name);
  }

  /** Removes unused anonymous volumes (every unused volume with `all`) and returns their names. */
  static async prune(options: VolumePruneOptions = {}): Promise<string[]> {
    const root = resolveRoot(options.root);
    const removed: string[] = [];
    for (const volume of await Volume.list({ root, dangling: true })) {
      if (options.all !== true && !(ANONYMOUS_VOLUME_LABEL in volume.labels)) continue;
      try {
        await Volume.remove(volume.name, { root });
        removed.push(volume.name);
      } catch (err) {
        // a container took it, or another process removed it, since the listing
        if (!(err instanceof VolumeError) || (err.code !== 'ERR_VOLUME_IN_USE' && err.code !== 'ERR_VOLUME_NOT_FOUND')) throw err;
      }
    }
    return removed;
  }

  /** The current state, shaped like `docker volume inspect`. */
  async inspect(): Promise<VolumeInspect> {
    const record = await requireRecord(this.#root, this.name);
    return {
      Name: record.name,
      Driver: 'local',
      Mountpoint: dataDir(this.#root, record.name),
      CreatedAt: record.createdAt,
      Labels: { ...record.labels },
      Scope: 'local',
      Options: { ...record.options },
    };
  }

  /** Removes this volume; see {@link Volume.remove}. */
  async remove(options: Omit<VolumeRemoveOptions, 'root'> = {}): Promise<void> {
    await Volume.remove(this.name, { ...options, root: this.#root });
  }
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function hasLabel(labels: Readonly<Record<string, string>>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return Object.hasOwn(labels, filter);
  const key = filter.slice(0, eq);
  return Object.hasOwn(labels, key) && labels[key] === filter.slice(eq + 1);
}
