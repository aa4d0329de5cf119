/**
 * Stopping and signalling a running container from the process that started
 * it or from any other one.
 *
 * @module
 */
import { constants } from 'node:os';
import { logger } from '../log.js';
import { Cgroup } from '../native/cgroup.js';
import { killDetached, stopDetached } from '../native/monitor.js';
import { stopContainer } from '../native/runtime.js';
import { isActive, observe, recordExit } from './observe.js';
import { liveness } from '../util/process-identity.js';
import type { RunRecord } from './runtime-record.js';
import { signalName } from './signals.js';
import type { ContainerState } from './state.js';
import type { ContainerStore } from './store.js';
import { storageFor } from '../storage.js';

export { signalName };

const log = logger('container');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (let d = 5; ; d = Math.min(d * 2, 50)) {
    if (await cond()) return true;
    if (Date.now() >= end) return false;
    await sleep(d);
  }
}

/** Waits until the state of `id` is no longer running (observing it), or it is gone. */
export async function waitInactive(store: ContainerStore, id: string, ms = 10_000): Promise<boolean> {
  return until(async () => {
    try {
      const seen = await observe(store, await store.get(id));
      return seen.removed || !isActive(seen.state);
    } catch {
      return true;
    }
  }, ms);
}

/** Sends `signal` to PID 1. */
export function killRun(store: ContainerStore, state: ContainerState, run: RunRecord, signal: NodeJS.Signals | number): void {
  const local = storageFor(store.root).localRuns.get(state.id);
  if (local) {
    if (local.proc.running) local.proc.kill(signalName(signal));
    return;
  }
  void killDetached({ pid: run.pid, startTime: run.startTime }, signalName(signal));
}

/**
 * Stop signal to PID 1, SIGKILL to the whole cgroup after `timeoutMs`; returns
 * once the exit is recorded.
 */
export async function stopRun(store: ContainerStore, state: ContainerState, run: RunRecord, signal: string, timeoutMs: number): Promise<void> {
  const sig = signalName(signal);
  const cgroup = Cgroup.fromPaths(run.cgroupPaths);
  if (state.status === 'paused') {
    try {
      await cgroup.thaw();
    } catch (err) {
      log('stop %s: thaw: %s (gone?)', state.id, String(err));
    }
    await store.update(state.id, (s) => (s.status === 'paused' ? { ...s, status: 'running' } : s));
  }
  const local = storageFor(store.root).localRuns.get(state.id);
  if (local) {
    await stopContainer(local.proc, { signal: sig, timeoutMs });
    await local.done;
    return;
  }
  const dir = store.containerDir(state.id);
  if (run.mode === 'detached') {
    await stopDetached(dir, { signal: sig, timeoutMs, cgroup });
    await waitInactive(store, state.id);
    return;
  }
  // attached to another live process: signal by pidfd, the owner records the exit
  await killDetached({ pid: run.pid, startTime: run.startTime }, sig);
  if (!(await until(() => liveness(run.pid, run.startTime) === 'dead', timeoutMs))) {
    try {
      await cgroup.killAll('SIGKILL');
    } catch (err) {
      log('stop %s: cgroup kill: %s (empty?)', state.id, String(err));
    }
    await killDetached({ pid: run.pid, startTime: run.startTime }, 'SIGKILL');
    await until(() => liveness(run.pid, run.startTime) === 'dead', 5000);
  }
  if (!(await waitInactive(store, state.id, 5000))) {
    await recordExit(store, state.id, { exitCode: 128 + (constants.signals[sig] ?? 9), oomKilled: false });
  }
}
