/**
 * Reconciling a container's recorded state with reality, from any process:
 * a detached container's `exit.json`, an attached one's PID 1 and owner, and
 * garbage collection of disposable containers whose owner died.
 *
 * @module
 */
import { constants } from 'node:os';
import { ContainerError } from '../errors.js';
import { Cgroup } from '../native/cgroup.js';
import { readDetachedExit } from '../native/monitor.js';
import type { ExitStatus } from '../native/runtime.js';
import { logger } from '../log.js';
import { liveness } from '../util/process-identity.js';
import { readRun, type RunRecord } from './runtime-record.js';
import { hasDeadHolder, healFreeze } from './freeze.js';
import { destroy, releaseRun } from './setup.js';
import type { ContainerState } from './state.js';
import type { ContainerStore } from './store.js';
import { storageFor } from '../storage.js';

const log = logger('container');

/** Docker's exit code for a status: the code, or 128 + the signal number. */
export function exitCodeOf(status: Pick<ExitStatus, 'exitCode' | 'signal'>): number {
  if (status.exitCode !== null) return status.exitCode;
  const n = status.signal ? constants.signals[status.signal] : undefined;
  return 128 + (n ?? 9);
}

/** Whether the state says the container runs. */
export function isActive(s: ContainerState): boolean {
  return s.status === 'running' || s.status === 'paused';
}

/** The container is removed with its anonymous volumes when it exits. */
export function autoRemove(s: ContainerState): boolean {
  return s.config.options.rm === true || s.config.options.autoRemove === true;
}

/**
 * Records an exit (once: a state that is no longer active is left alone),
 * releases the run's mount and cgroup, and removes the container with `rm`.
 * Returns the new state, or undefined when the container was removed.
 */
export async function recordExit(store: ContainerStore, id: string, status: { exitCode: number; oomKilled: boolean; finishedAt?: string }): Promise<Observed | undefined> {
  let state: ContainerState;
  let mine = false;
  try {
    state = await store.update(id, (s) => {
      if (!isActive(s)) return s;
      mine = true; // this call records the exit: only it releases the run
      const { pid: _pid, ...rest } = s;
      return { ...rest, status: 'exited', exitCode: status.exitCode, oomKilled: status.oomKilled, finishedAt: status.finishedAt ?? new Date().toISOString() };
    });
  } catch (err) {
    if (err instanceof ContainerError && err.code === 'ERR_CONTAINER_NOT_FOUND') return undefined;
    throw err;
  }
  if (!mine) return { state, removed: false };
  const dir = store.containerDir(id);
  await releaseRun(dir);
  if (autoRemove(state) || (state.disposable && ownerLiveness(await readRun(dir), state) === 'dead')) {
    try {
      await destroy(store, state, true);
    } catch (err) {
      log('auto-remove of %s failed (retried at the next observation): %s', id, String(err));
      return { state, removed: false };
    }
    return { state, removed: true };
  }
  return { state, removed: false };
}

/** A state as observed; `removed` when observing it removed the container. */
export interface Observed {
  state: ContainerState;
  removed: boolean;
}

function ownerLiveness(run: RunRecord | undefined, state: ContainerState): ReturnType<typeof liveness> {
  return run ? liveness(run.ownerPid, run.ownerStartTime) : liveness(state.ownerPid, null);
}

/**
 * The state of `state`'s container as it really is now: records an exit that
 * happened while nobody watched, and removes a disposable container whose
 * owner is gone. Undefined when the container was removed.
 */
export async function observe(store: ContainerStore, recorded: ContainerState): Promise<Observed> {
  let state = recorded;
  if (state.status === 'paused' && hasDeadHolder(state)) {
    // frozen for a copy or commit whose process is gone: thaw it
    state = await healFreeze(store, state, (await readRun(store.containerDir(state.id)))?.cgroupPaths ?? []);
  }
  const same = { state, removed: false };
  const gone = async (r: Promise<Observed | undefined>): Promise<Observed> => (await r) ?? { state, removed: true };
  if (storageFor(store.root).localRuns.has(state.id)) return same;
  const dir = store.containerDir(state.id);
  if (!isActive(state)) {
    if (state.disposable && ownerLiveness(await readRun(dir), state) === 'dead') {
      await destroy(store, state, true);
      return { state, removed: true };
    }
    return same;
  }
  const run = await readRun(dir);
  if (run === undefined) return same; // being started right now
  if (run.mode === 'detached') {
    const exit = await readDetachedExit(dir);
    if (exit) return gone(recordExit(store, state.id, { exitCode: exitCodeOf(exit), oomKilled: exit.oomKilled, finishedAt: exit.finishedAt }));
    const seen = [liveness(run.monitorPid, null), liveness(run.pid, run.startTime)];
    if (seen.includes('alive')) return same;
    // "cannot tell" is never "dead": the record stays as it is
    if (seen.includes('unknown')) return unknown(state);
    return gone(recordExit(store, state.id, { exitCode: 137, oomKilled: false }));
  }
  // attached to another process: it records the exit itself while it lives
  if (run.ownerPid === process.pid && liveness(run.pid, run.startTime) === 'dead') {
    return gone(recordExit(store, state.id, { exitCode: 137, oomKilled: false })); // its watcher was lost
  }
  const owner = liveness(run.ownerPid, run.ownerStartTime);
  if (owner === 'alive') return same;
  if (owner === 'unknown') return unknown(state);
  // the owner died: PDEATHSIG killed PID 1; make sure nothing of it is left
  try {
    await Cgroup.fromPaths(run.cgroupPaths).killAll('SIGKILL');
  } catch (err) {
    log('%s: cgroup kill: %s (empty or gone?)', state.id, String(err));
  }
  let oom = false;
  try {
    oom = Cgroup.fromPaths(run.cgroupPaths).oomKilled();
  } catch {
    // gone
  }
  return gone(recordExit(store, state.id, { exitCode: 137, oomKilled: oom }));
}

function unknown(state: ContainerState): Observed {
  log('cannot tell whether %s still runs: its record is left as it is', state.id);
  return { state, removed: false };
}

/**
 * Observes every container: rolls back creations whose creator was killed, records unseen exits,
 * collects dead owners' disposable containers.
 */
export async function collectGarbage(store: ContainerStore): Promise<ContainerState[]> {
  for (const s of await store.abandoned()) {
    log('rolling back container %s: its creator %d died', s.id, s.creating?.pid ?? 0);
    try {
      await destroy(store, s, true);
    } catch (err) {
      log('cannot roll back %s: %s', s.id, String(err));
    }
  }
  const out: ContainerState[] = [];
  for (const s of await store.list()) {
    try {
      const now = await observe(store, s);
      if (!now.removed) out.push(now.state);
    } catch (err) {
      log('cannot observe %s: %s', s.id, String(err));
      out.push(s);
    }
  }
  return out;
}
