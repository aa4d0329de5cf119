/**
 * Names of temp files and staging directories under `ingest/`: `<pid>-<start time>-<hex>.<kind>`,
 * naming the writer, so any process can remove what a killed writer left without ever touching
 * the file of a live one (a recycled pid has another start time).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../log.js';
import { isAlive, selfIdentity } from '../util/process-identity.js';

const log = logger('store');

/** `<pid>-<start>-<hex>.<kind>`; the older `<pid>-<hex>.<kind>` names only the pid. */
const NAME_RE = /^(\d+)-(?:(\d+)-)?[0-9a-f]{16}\.(tmp|save|load)$/;

/** A new path in `ingestDir` for this process, ending in `.kind`. */
export function ingestPath(ingestDir: string, kind: 'tmp' | 'save' | 'load'): string {
  const me = selfIdentity();
  return join(ingestDir, `${me.pid}-${me.startTime ?? 0}-${randomBytes(8).toString('hex')}.${kind}`);
}

/**
 * Removes the entries of `ingestDir` whose writer no longer runs; returns their names. With `all`
 * (gc), also entries in other forms whose leading pid is not a live process.
 */
export async function removeDeadIngest(ingestDir: string, all = false): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(ingestDir).catch(() => [] as string[])) {
    const m = NAME_RE.exec(name);
    if (m === null && !all) continue;
    // other names are judged by a leading pid alone, as before names carried start times
    const pid = Number(m?.[1] ?? name.split('-')[0]);
    const start = m?.[2] === undefined || m[2] === '0' ? null : Number(m[2]);
    if (isAlive({ pid, startTime: start })) continue;
    await rm(join(ingestDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  if (removed.length > 0) log('removed %d temp files of writers that died: %o', removed.length, removed);
  return removed;
}
