/**
 * Freezes that `cp` and `commit` take on a running container, recorded in its state with their
 * owner (pid, start time, token) before the cgroup is frozen. A freeze never outlives its owner:
 * when the owner is gone (killed mid-commit, or its process exited with a copy stream unread),
 * the next observation of the container from any process thaws it. A user's `pause()` is a
 * paused state without owners and is never thawed that way.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { ContainerError } from '../errors.js';
import { logger } from '../log.js';
import { Cgroup } from '../native/cgroup.js';
import { crashPoint } from '../util/crash-point.js';
import { isAlive, selfIdentity } from '../util/process-identity.js';
import type { ContainerState, FreezeHolder } from './state.js';
import type { ContainerStore } from './store.js';

const log = logger('container');

async function thaw(paths: readonly string[]): Promise<void> {
  try {
    await Cgroup.fromPaths(paths).thaw();
  } catch (err) {
    log('thaw: %s (gone with its processes?)', String(err));
  }
}

/** Without its holders; `running` again when it was paused only for them. */
function unheld(s: ContainerState): ContainerState {
  const { freezeHolders: _h, ...rest } = s;
  return s.status === 'paused' ? { ...rest, status: 'running' } : rest;
}

/**
 * Freezes the running container `id` (cgroup `paths`) on behalf of this process, or joins a freeze
 * other copies hold. Returns the release, which thaws once the last holder has released; it does
 * nothing when the container was not running, or when the user paused or unpaused it meanwhile.
 */
export async function holdFrozen(store: ContainerStore, id: string, paths: readonly string[]): Promise<() => Promise<void>> {
  const me: FreezeHolder = { ...selfIdentity(), token: randomBytes(8).toString('hex') };
  const mine = (s: ContainerState): boolean => s.freezeHolders?.some((h) => h.token === me.token) === true;
  await store.update(id, (s) => {
    if (s.status === 'running') return { ...s, status: 'paused', freezeHolders: [me] };
    if (s.status === 'paused' && (s.freezeHolders?.length ?? 0) > 0) return { ...s, freezeHolders: [...(s.freezeHolders ?? []), me] };
    return s; // paused by the user, or not running: nothing to hold
  });
  crashPoint('freeze:recorded');
  // frozen under the state lock, so an unpause cannot slip in between
  await store.update(id, async (s) => {
    if (mine(s)) await Cgroup.fromPaths(paths).freeze();
    return s;
  });
  crashPoint('freeze:frozen');
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await store.update(id, async (s) => {
      if (!mine(s)) return s;
      const rest = (s.freezeHolders ?? []).filter((h) => h.token !== me.token);
      if (rest.length > 0) return { ...s, freezeHolders: rest };
      if (s.status === 'paused') await thaw(paths); // before the state says running: a crash here leaves a dead holder, healed later
      return unheld(s);
    }).catch((err: unknown) => {
      if (!(err instanceof ContainerError && err.code === 'ERR_CONTAINER_NOT_FOUND')) throw err;
    });
  };
}

/** Whether `s` is frozen for holders of which some are gone. */
export function hasDeadHolder(s: ContainerState): boolean {
  return s.freezeHolders?.some((h) => !isAlive(h)) === true;
}

/** Drops the dead holders of `s`'s freeze, thawing it when none is left. Returns the new state. */
export async function healFreeze(store: ContainerStore, s: ContainerState, paths: readonly string[]): Promise<ContainerState> {
  return store.update(s.id, async (cur) => {
    if (!hasDeadHolder(cur)) return cur;
    const rest = (cur.freezeHolders ?? []).filter((h) => isAlive(h));
    if (rest.length > 0) return { ...cur, freezeHolders: rest };
    log('thawing %s: the copy or commit that froze it is gone', cur.id);
    if (cur.status === 'paused') await thaw(paths);
    return unheld(cur);
  });
}
