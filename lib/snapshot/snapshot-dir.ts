/**
 * One unpacked layer per chain ID under `<root>/snapshots/<hex>/fs`, made in a
 * temp directory, marked `.complete` last and published by rename, so a
 * snapshot directory is either whole or absent, even across processes.
 *
 * @internal
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, readdirSync } from 'node:fs';
import { applyLayer, type LayerSource } from '../layer/apply.js';
import type { ApplyOptions } from '../layer/options.js';
import { removeTree } from '../layer/remove-tree.js';
import { SnapshotError } from '../errors.js';
import { parseDigest } from '../oci/digest.js';
import { logger } from '../log.js';

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
  const tmp = `${snapshotsDir}/${TMP_PREFIX}${key.slice(0, 12)}-${randomBytes(6).toString('hex')}`;
  mkdirSync(tmp);
  try {
    await fill(`${tmp}/fs`);
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

/** Removes leftover temp dirs older than `olderThanMs` (crashed unpacks). */
export function removeStaleTemps(snapshotsDir: string, olderThanMs: number): string[] {
  const removed: string[] = [];
  if (!existsSync(snapshotsDir)) return removed;
  for (const name of readdirSync(snapshotsDir)) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const path = `${snapshotsDir}/${name}`;
    if (Date.now() - statSync(path).mtimeMs >= olderThanMs) {
      removeTree(path);
      removed.push(name);
    }
  }
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
  removeStaleTemps(snapshotsDir, 24 * 3600 * 1000);
  return removed;
}
