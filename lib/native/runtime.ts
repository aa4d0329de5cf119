/**
 * Runs OCI runtime specs: start a container's first process, exec into it, signal, stop, resize its
 * terminal. Exits arrive from the addon's reaper thread (pidfds + epoll), never from a blocking wait.
 *
 * @module
 */
import { constants } from 'node:os';
import { join } from 'node:path';
import type { RuntimeSpec } from '../oci/runtime-spec.js';
import { logger } from '../log.js';
import { native, type NativeSpawnOptions, type NativeStarted } from './addon.js';
import { callNative } from './call.js';
import { Cgroup } from './cgroup.js';

const log = logger('native');

/** How a container process ended. */
export interface ExitStatus {
  /** Exit status when it exited normally, else null. */
  exitCode: number | null;
  /** The signal that killed it, else null. */
  signal: NodeJS.Signals | null;
  /** It was killed by the kernel's OOM killer inside its memory cgroup. */
  oomKilled: boolean;
}

/** Options of {@link spawnContainer} and {@link execInContainer}. */
export interface SpawnOptions {
  /** File descriptors that become the process's stdin, stdout and stderr (ignored with a terminal). */
  stdio: [number, number, number];
  /** Cgroup directories the process joins (one per v1 hierarchy, or the v2 directory). */
  cgroupPaths?: string[];
  /**
   * The container's cgroup (typically `Cgroup.create(spec.linux.cgroupsPath ?? 'ocikit/<id>',
   * spec.linux.resources)`, see {@link cgroupForSpec}): the process joins it before anything else,
   * OOM kills are read from it and {@link stopContainer} kills every process in it. Exec'd
   * processes join their container's cgroup by default.
   */
  cgroup?: Cgroup;
  /** Kill the process with SIGKILL when the Node thread that started it dies. Default true. */
  dieWithOwner?: boolean;
  /** Apply Docker's default seccomp profile when the spec has no `linux.seccomp`. Default true. */
  defaultSeccomp?: boolean;
}

type Settle = (status: { exitCode: number; signal: number }) => void;
const waiting = new Map<number, Settle>();
let exitHandler: number | undefined;

/** Registers this module's exit handler with the addon once (per module instance / worker). */
function ensureExitHandler(): number {
  if (exitHandler !== undefined) return exitHandler;
  exitHandler = native().setExitHandler((id, pid, exitCode, signal) => {
    log('exit id=%d pid=%d code=%d signal=%d', id, pid, exitCode, signal);
    const settle = waiting.get(id);
    waiting.delete(id);
    settle?.({ exitCode, signal });
  });
  return exitHandler;
}

function signalNumber(signal: NodeJS.Signals | number): number {
  if (typeof signal === 'number') return signal;
  const n = constants.signals[signal];
  if (n === undefined) throw new TypeError(`unknown signal ${String(signal)}`);
  return n;
}

function signalName(n: number): NodeJS.Signals | null {
  for (const [name, value] of Object.entries(constants.signals)) if (value === n) return name as NodeJS.Signals;
  return null;
}

/** The container's cgroup for `spec`: `linux.cgroupsPath` (else `ocikit/<id>`) with `linux.resources`. */
export function cgroupForSpec(spec: RuntimeSpec, id: string): Promise<Cgroup> {
  return Cgroup.create(spec.linux?.cgroupsPath ?? `ocikit/${id}`, spec.linux?.resources);
}

/** Whether the memory cgroup's `oom_kill` counter is above 0 (through the addon): any process of it, not only PID 1. */
function oomKilledIn(cgroup: Cgroup | undefined): boolean {
  if (!cgroup || cgroup.paths.length === 0) return false;
  try {
    return cgroup.oomKilled();
  } catch {
    return false; // removed meanwhile, or not on a cgroup filesystem
  }
}

/** A process started in a container. */
export class ContainerProcess {
  /** The addon's handle of the process. */
  readonly id: number;
  /** Its pid in the host's pid namespace. */
  readonly pid: number;
  /** The pty master fd when the spec asked for a terminal (the caller closes it). */
  readonly ptyMaster: number | null;
  /** Resolves once the process has exited and was reaped. */
  readonly exited: Promise<ExitStatus>;
  /** The cgroup it was started in, when one was given. */
  readonly cgroup: Cgroup | undefined;
  #running = true;

  /**
   * @param role `init`: the exit reports any OOM kill the cgroup recorded (as Docker's
   *   `OOMKilled`, also when only a child was killed); `exec`: only when this process was SIGKILLed.
   */
  constructor(started: NativeStarted, cgroup: Cgroup | undefined, role: 'init' | 'exec' = 'init') {
    this.cgroup = cgroup;
    this.id = started.id;
    this.pid = started.pid;
    this.ptyMaster = started.ptyMaster;
    this.exited = new Promise<{ exitCode: number; signal: number }>((resolve) => waiting.set(started.id, resolve)).then(
      ({ exitCode, signal }) => {
        this.#running = false;
        const sig = signal === 0 ? null : signalName(signal);
        return {
          exitCode: signal === 0 ? exitCode : null,
          signal: sig,
          // As Docker: any OOM kill the cgroup recorded, also of a child while PID 1 lived on.
          oomKilled: (role === 'init' || sig === 'SIGKILL') && oomKilledIn(cgroup),
        };
      },
    );
  }

  /** Whether the process has not been reaped yet. */
  get running(): boolean {
    return this.#running;
  }

  /** Sends `signal` through the process's pidfd (never to a recycled pid). */
  kill(signal: NodeJS.Signals | number = 'SIGTERM'): void {
    const n = signalNumber(signal);
    callNative(() => native().kill(this.id, n));
  }

  /** Sets the terminal size (TIOCSWINSZ on the pty master). */
  resize(rows: number, cols: number): void {
    if (this.ptyMaster === null) throw new TypeError('the process has no terminal');
    const fd = this.ptyMaster;
    callNative(() => native().resizePty(fd, rows, cols));
  }
}

/** All cgroup directories of `o` (explicit paths, then the cgroup's). */
function cgroupDirs(o: SpawnOptions): string[] {
  const dirs = [...(o.cgroupPaths ?? [])];
  for (const d of o.cgroup?.paths ?? []) if (!dirs.includes(d)) dirs.push(d);
  return dirs;
}

/** The cgroup the process's OOM kills are read from. */
function cgroupOf(o: SpawnOptions): Cgroup | undefined {
  if (o.cgroup) return o.cgroup;
  return o.cgroupPaths?.length ? Cgroup.fromPaths(o.cgroupPaths) : undefined;
}

function nativeOptions(o: SpawnOptions): NativeSpawnOptions {
  return {
    stdio: o.stdio,
    exitHandler: ensureExitHandler(),
    cgroupProcs: cgroupDirs(o).map((d) => join(d, 'cgroup.procs')),
    pdeathsig: o.dieWithOwner === false ? 0 : signalNumber('SIGKILL'),
    defaultSeccomp: o.defaultSeccomp ?? true,
  };
}

/**
 * Starts `spec.process` as PID 1 of a new container: the namespaces of `spec.linux.namespaces`,
 * `spec.root` pivoted into, `spec.mounts`, masked and read-only paths, user, capabilities, rlimits,
 * seccomp. Throws {@link SyscallError} naming the failed step and path.
 */
export function spawnContainer(spec: RuntimeSpec, options: SpawnOptions): ContainerProcess {
  const started = callNative(() => native().spawn(JSON.stringify(spec), nativeOptions(options)));
  log('started container pid=%d', started.pid);
  return new ContainerProcess(started, cgroupOf(options));
}

/**
 * Starts `spec.process` inside the running container whose first process is `init`: its
 * namespaces (entered through its pidfd) and cgroups, with the process's own user, env, cwd and
 * terminal, and the same capability and seccomp rules as a run.
 */
export function execInContainer(init: ContainerProcess, spec: RuntimeSpec, options: SpawnOptions): ContainerProcess {
  const o = options.cgroup || options.cgroupPaths?.length || !init.cgroup ? options : { ...options, cgroup: init.cgroup };
  const started = callNative(() => native().exec(init.id, JSON.stringify(spec), nativeOptions(o)));
  return new ContainerProcess(started, cgroupOf(o), 'exec');
}

/** Options of {@link stopContainer}. */
export interface StopOptions {
  /** The polite signal. Default SIGTERM. */
  signal?: NodeJS.Signals;
  /** How long to wait before SIGKILL, in milliseconds. Default 10 000. */
  timeoutMs?: number;
}

/**
 * Stops a container: `signal` to its PID 1, then after the timeout SIGKILL to every process of its
 * cgroup (v1: freeze, kill, thaw; v2: `cgroup.kill`) when it has one, else to PID 1 (whose death
 * kills its pid namespace); then waits for PID 1's exit.
 */
export async function stopContainer(init: ContainerProcess, options: StopOptions = {}): Promise<ExitStatus> {
  if (!init.running) return init.exited;
  const killQuietly = (s: NodeJS.Signals): void => {
    try {
      init.kill(s);
    } catch {
      // already gone
    }
  };
  killQuietly(options.signal ?? 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? 10_000);
  });
  const first = await Promise.race([init.exited, timedOut]);
  clearTimeout(timer);
  if (first === 'timeout') {
    log('stop: timeout, SIGKILL pid=%d', init.pid);
    if (init.cgroup) {
      try {
        await init.cgroup.killAll('SIGKILL');
      } catch (e) {
        log('stop: cgroup kill failed: %s', String(e));
      }
    }
    killQuietly('SIGKILL');
  }
  return init.exited;
}
