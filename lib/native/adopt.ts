/**
 * Adopting a running container's PID 1 that another process started (a detached container's
 * monitor, an earlier `ocikit` run): a pidfd opened after a start-time check, so `exec` and
 * `kill` work on it as on a process of our own. Its exit is not ours to see: callers poll.
 *
 * @module
 */
import { native } from './addon.js';
import { callNative } from './call.js';
import type { Cgroup } from './cgroup.js';
import { ContainerProcess } from './runtime.js';

/**
 * The running process `pid` if it still started at `startTime` (clock ticks since boot, as
 * `procStat` reads them), as a {@link ContainerProcess} whose `exited` never settles; undefined when
 * it is gone or the pid now names another process.
 */
export function adoptProcess(pid: number, startTime: number | null, cgroup?: Cgroup): ContainerProcess | undefined {
  const id = callNative(() => native().adopt(pid, startTime));
  if (id === null) return undefined;
  return new ContainerProcess({ id, pid, ptyMaster: null }, cgroup);
}
