/**
 * The on-disk record of a volume: `volumes/<name>/volume.json` beside its data
 * directory `volumes/<name>/_data`, both under the storage root.
 *
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VolumeError } from '../errors.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { withLock } from '../util/lock.js';

/** What `volume.json` holds. */
export interface VolumeRecord {
  name: string;
  /** RFC 3339, seconds precision, UTC. */
  createdAt: string;
  labels: Record<string, string>;
  /** Driver options of the local driver (`type`, `device`, `o`). */
  options: Record<string, string>;
  /** Ids of the containers using the volume. */
  usedBy: string[];
  /** Whether `options` are currently mounted on `_data`. */
  mounted: boolean;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const NAME_MAX = 255;

/** Throws unless `name` is a valid volume name. */
export function checkVolumeName(name: string): void {
  if (typeof name !== 'string' || !NAME.test(name) || name.length > NAME_MAX) {
    throw new VolumeError(
      'ERR_INVALID_VOLUME_NAME',
      `invalid volume name ${JSON.stringify(name)}: must match [a-zA-Z0-9][a-zA-Z0-9_.-]* and be at most ${NAME_MAX} characters`,
      { volume: typeof name === 'string' ? name : undefined },
    );
  }
}

/** The directory holding every volume of storage root `root`. */
export function volumesDir(root: string): string {
  return join(root, 'volumes');
}

/** The directory of volume `name`. */
export function volumeDir(root: string, name: string): string {
  return join(volumesDir(root), name);
}

/** The data directory of volume `name`, which containers mount. */
export function dataDir(root: string, name: string): string {
  return join(volumeDir(root, name), '_data');
}

function recordPath(root: string, name: string): string {
  return join(volumeDir(root, name), 'volume.json');
}

/**
 * Runs `fn` under the lock of the volumes directory, which every change to a
 * volume record takes (creating it first).
 */
export async function withVolumesLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(volumesDir(root), { recursive: true, mode: 0o700 });
  return withLock(join(volumesDir(root), '.lock'), fn);
}

/** Reads the record of `name`, or `undefined` when there is no such volume. */
export async function readRecord(root: string, name: string): Promise<VolumeRecord | undefined> {
  checkVolumeName(name);
  let text: string;
  try {
    text = await readFile(recordPath(root, name), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new VolumeError('ERR_VOLUME_READ', `cannot read volume ${name}`, { cause: err, volume: name });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new VolumeError('ERR_VOLUME_CORRUPT', `volume ${name} has an unreadable volume.json`, { cause: err, volume: name });
  }
  return validateRecord(name, parsed);
}

/** Reads the record of `name`, failing with `ERR_VOLUME_NOT_FOUND` when absent. */
export async function requireRecord(root: string, name: string): Promise<VolumeRecord> {
  const record = await readRecord(root, name);
  if (record === undefined) throw new VolumeError('ERR_VOLUME_NOT_FOUND', `no such volume: ${name}`, { volume: name });
  return record;
}

/** Writes the record atomically. Call under {@link withVolumesLock}. */
export async function writeRecord(root: string, record: VolumeRecord): Promise<void> {
  await writeJsonAtomic(recordPath(root, record.name), record);
}

function isStringMap(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

function validateRecord(name: string, v: unknown): VolumeRecord {
  const r = v as Partial<VolumeRecord> | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    r.name !== name ||
    typeof r.createdAt !== 'string' ||
    !isStringMap(r.labels) ||
    !isStringMap(r.options) ||
    !Array.isArray(r.usedBy) ||
    !r.usedBy.every((x) => typeof x === 'string') ||
    typeof r.mounted !== 'boolean'
  ) {
    throw new VolumeError('ERR_VOLUME_CORRUPT', `volume ${name} has an invalid volume.json`, { volume: name });
  }
  return {
    name: r.name,
    createdAt: r.createdAt,
    labels: r.labels,
    options: r.options,
    usedBy: r.usedBy,
    mounted: r.mounted,
  };
}
