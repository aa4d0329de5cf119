/**
 * How `restart` starts a container again: as its last run did.
 *
 * @module
 */
import { selfIdentity } from '../util/process-identity.js';
import { readRun } from './runtime-record.js';

/**
 * Whether a restart of the container in `dir` starts it detached, as `docker restart` keeps a
 * container's nature: a detached run comes back detached (so does `create` + CLI `start`); an
 * attached run comes back attached only in the process that owned it; an attached run of another
 * process comes back detached, as this process cannot take its stdio over and must not hold it.
 * `undefined` when it never ran (the start follows its create options).
 */
export async function restartDetached(dir: string): Promise<boolean | undefined> {
  const run = await readRun(dir);
  if (run === undefined) return undefined;
  if (run.mode === 'detached') return true;
  const me = selfIdentity();
  const mine = run.ownerPid === me.pid && (run.ownerStartTime === null || me.startTime === null || run.ownerStartTime === me.startTime);
  return !mine;
}
