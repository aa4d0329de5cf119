/**
 * A container's cgroup, wrapping the addon's cgroup managers (v1: one directory per hierarchy,
 * v2: one directory). A cgroup is identified by its directories, so another process can act on
 * it from the paths recorded in a container's state.
 *
 * @module
 */
import { constants } from 'node:os';
import type { LinuxResources } from '../oci/runtime-spec.js';
import { native, type NativeCgroupStats } from './addon.js';
import { callNative, callNativeAsync } from './call.js';
import { limiter } from '../util/limit.js';

/**
 * Freeze, thaw, kill and remove make the kernel do work in the libuv pool thread that calls them
 * (and some wait there until the cgroup is frozen or empty). Fifty at once kept every core busy and
 * starved the JS thread (its schedstat showed run-queue wait, not JS work, in the long gaps); one
 * at a time does not, and is no slower in wall time. A call that takes longer than 20 ms (a cgroup
 * draining for seconds) lets the next one start, so none waits behind a slow one.
 */
const heavy = limiter(1, 20);

/** One of the heavy calls: through the limiter, then off the JS thread. */
function heavyCall<T>(call: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return heavy(() => callNativeAsync(call, signal), signal);
}

/** Counters of a cgroup (bytes, nanoseconds, tasks); null where unlimited or not reported. */
export type CgroupStats = NativeCgroupStats;

/** The cgroup name of container `id`: `ocikit/<id>` under the caller's own cgroup. */
export function containerCgroupName(id: string): string {
  return `ocikit/${id}`;
}

function signalNumber(signal: NodeJS.Signals | number): number {
  if (typeof signal === 'number') return signal;
  const n = constants.signals[signal];
  if (n === undefined) throw new TypeError(`unknown signal ${String(signal)}`);
  return n;
}

/** A container's cgroup. Methods throw {@link SyscallError} naming the cgroup file. */
export class Cgroup {
  /** The relative (`ocikit/<id>`) or absolute name it was created or opened with, if known. */
  readonly name: string | undefined;
  /** Its directories: one per v1 hierarchy, or the v2 directory. */
  readonly paths: readonly string[];

  private constructor(name: string | undefined, paths: string[]) {
    this.name = name;
    this.paths = Object.freeze([...paths]);
  }

  /**
   * Creates cgroup `name` (OCI `cgroupsPath`: relative names go under this process's own cgroup,
   * absolute ones under the hierarchy root) and applies `resources` (memory, cpu, cpuset, pids,
   * devices). Existing directories are reused; on failure nothing new is left. The directories
   * are made off the JS thread (a v1 mkdir can wait on the kernel's cgroup lock).
   */
  static async create(name: string, resources?: LinuxResources): Promise<Cgroup> {
    const json = resources ? JSON.stringify(resources) : null;
    return new Cgroup(name, await callNativeAsync(() => native().cgroupCreate(name, json)));
  }

  /** The cgroup `name` as created earlier (nothing is created or checked). */
  static open(name: string): Cgroup {
    return new Cgroup(name, callNative(() => native().cgroupOpen(name)));
  }

  /** The cgroup whose directories are `paths` (as {@link Cgroup.paths} gave them). */
  static fromPaths(paths: readonly string[], name?: string): Cgroup {
    return new Cgroup(name, [...paths]);
  }

  /** Stops every process (v1 freezer / v2 cgroup.freeze); resolves once frozen (off the JS thread). */
  async freeze(options: { signal?: AbortSignal } = {}): Promise<void> {
    await heavyCall(() => native().cgroupFreeze([...this.paths], options.signal), options.signal);
  }

  async thaw(options: { signal?: AbortSignal } = {}): Promise<void> {
    await heavyCall(() => native().cgroupThaw([...this.paths], options.signal), options.signal);
  }

  stats(): CgroupStats {
    return callNative(() => native().cgroupStats([...this.paths]));
  }

  /** Whether the kernel's OOM killer killed a process in this cgroup (its `oom_kill` counter). */
  oomKilled(): boolean {
    return callNative(() => native().cgroupOomKilled([...this.paths]));
  }

  /**
   * Signals every process in the cgroup (v1: freeze, signal, thaw). With SIGKILL it repeats until
   * the cgroup is empty, so processes forked meanwhile die too.
   */
  async killAll(signal: NodeJS.Signals | number = 'SIGKILL', options: { signal?: AbortSignal } = {}): Promise<void> {
    const n = signalNumber(signal);
    await heavyCall(() => native().cgroupKillAll([...this.paths], n, options.signal), options.signal);
  }

  /** Pids of the processes in it (host pid namespace). */
  procs(): number[] {
    return callNative(() => native().cgroupProcs([...this.paths]));
  }

  /**
   * Removes the cgroup, waiting up to 5 s for exiting processes to drain (EBUSY after that), and
   * the shared parents of a relative name (`ocikit/`) once they are empty. Removing twice is fine.
   */
  async remove(options: { signal?: AbortSignal } = {}): Promise<void> {
    const levels = this.name && !this.name.startsWith('/') ? this.name.split('/').filter(Boolean).length - 1 : 0;
    await heavyCall(() => native().cgroupRemove([...this.paths], levels, options.signal), options.signal);
  }
}
