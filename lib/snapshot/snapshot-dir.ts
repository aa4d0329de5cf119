/**
 * One unpacked layer per chain ID under `<root>/snapshots/<hex>/fs`, made in a
 * temp directory, marked `.complete` last and published by rename, so a
 * snapshot directory is either whole or absent, even across processes.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, readdirSync } from 'node:fs';
import { applyLayer, type LayerSource } from '../layer/apply.js';
import type { ApplyOptions } from '../layer/options.js';
import { removeTree } from '../layer/remove-tree.js';
import { SnapshotError } from '../errors.js';
import { parseDigest } from '../oci/digest.js';
import { logger } from '../log.js';
import { crashPoint } from '../util/crash-point.js';
import { isAlive, selfIdentity } from '../util/process-identity.js';

const log = logger('snapshot');
const TMP_PREFIX = '.tmp-';

/** Directory name of a chain ID's snapshot. */
export function snapshotKey(chainId: string): string {
  return parseDigest(chainId).hex;
}

/** Whether the snapshot of `key` is complete. */
export function isComplete(snapshotsDir: string, key: string): boolean {
  return existsSync(`${snapshotsDir}/${key}/.complete`);
}

/**
 * Unpacks `layer` as the snapshot `key` unless it is already there. Concurrent
 * callers (in this or other processes) each unpack to their own temp dir; the
 * first rename wins and the others discard their copy.
 */
export async function ensureSnapshot(snapshotsDir: string, key: string, layer: LayerSource, options: ApplyOptions): Promise<string> {
  return ensureTree(snapshotsDir, key, async (fs) => {
    await applyLayer(layer, fs, options);
  });
}

/**
 * Makes `<snapshotsDir>/<key>/fs` with `fill` unless it is already complete;
 * the same publish-by-rename protocol as {@link ensureSnapshot}.
 */
export async function ensureTree(snapshotsDir: string, key: string, fill: (fs: string) => Promise<void>): Promise<string> {
  const final = `${snapshotsDir}/${key}`;
  if (isComplete(snapshotsDir, key)) return final;
  mkdirSync(snapshotsDir, { recursive: true });
  removeDeadTemps(snapshotsDir); // what killed unpacks left
  const me = selfIdentity();
  const tmp = `${snapshotsDir}/${TMP_PREFIX}${key.slice(0, 12)}-${me.pid}-${me.startTime ?? 0}-${randomBytes(6).toString('hex')}`;
  crashPoint('unpack:tmp');
  mkdirSync(tmp);
  try {
    await fill(`${tmp}/fs`);
    crashPoint('unpack:filled');
    const fd = openSync(`${tmp}/.complete`, 'w');
    fsyncSync(fd);
    closeSync(fd);
    try {
      renameSync(tmp, final);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && isComplete(snapshotsDir, key)) {
        log('snapshot %s made concurrently; dropping our copy', key);
        removeTree(tmp);
        return final;
      }
      throw new SnapshotError('ERR_SNAPSHOT_PUBLISH', `cannot publish snapshot ${key}`, { cause: err });
    }
  } catch (err) {
    removeTree(tmp);
    throw err;
  }
  log('snapshot %s ready', key);
  return final;
}

/** `.tmp-<key12>-<pid>-<start>-<hex>`: an unpack in progress, naming its process. */
const TMP_RE = /^\.tmp-[0-9a-f]{12}-(\d+)-(\d+)-[0-9a-f]{12}$/;

/**
 * Removes temp dirs of unpacks whose process is gone (named by pid and start time, so a live
 * unpack's dir is never touched), and temp dirs in the older, unnamed form once older than
 * `unnamedOlderThanMs`. Returns their names.
 */
export function removeDeadTemps(snapshotsDir: string, unnamedOlderThanMs = 24 * 3600 * 1000): string[] {
  const removed: string[] = [];
  if (!existsSync(snapshotsDir)) return removed;
  for (const name of readdirSync(snapshotsDir)) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const path = `${snapshotsDir}/${name}`;
    const m = TMP_RE.exec(name);
    const dead = m !== null
      ? !isAlive({ pid: Number(m[1]), startTime: m[2] === '0' ? null : Number(m[2]) })
      : Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) >= unnamedOlderThanMs;
    if (!dead) continue;
    removeTree(path);
    removed.push(name);
  }
  if (removed.length > 0) log('removed %d temp dirs of unpacks that died', removed.length);
  return removed;
}

/** Removes the snapshots under `snapshotsDir` that no holder in `used` references, and stale temp dirs. */
export function collectSnapshots(snapshotsDir: string, used: ReadonlySet<string>): string[] {
  const removed: string[] = [];
  if (!existsSync(snapshotsDir)) return removed;
  for (const name of readdirSync(snapshotsDir)) {
    if (!/^[0-9a-f]{64}$/.test(name) || used.has(name)) continue;
    removeTree(`${snapshotsDir}/${name}`);
    removed.push(name);
  }
  removeDeadTemps(snapshotsDir);
  return removed;
}
