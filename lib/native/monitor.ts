/**
 * Detached containers: `ocikit-monitor` becomes the parent of the container's PID 1, writes its
 * output as json-file logs and records its exit in the state directory, and outlives this process.
 *
 * @module
 */
import { syscallMessage } from './exec-message.js';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { NativeLoadError, SyscallError } from '../errors.js';
import { logger } from '../log.js';
import type { RuntimeSpec } from '../oci/runtime-spec.js';
import { monitorPath, native } from './addon.js';
import { callNative } from './call.js';
import { selfIdentity } from '../util/process-identity.js';
import type { Cgroup } from './cgroup.js';
import { waitForFile } from './exit-wait.js';

const log = logger('native');

/** Options of {@link startDetached}. */
export interface DetachedOptions {
  /** The container's state directory: `config.json`, `monitor.json`, `container.log`, `exit.json`. */
  stateDir: string;
  /** Cgroup directories the container joins. */
  cgroupPaths?: string[];
  /** The container's cgroup (joined before anything else; the monitor reads OOM kills from it). */
  cgroup?: Cgroup;
  /**
   * Kill the container when this process ends, even by SIGKILL (the monitor watches a pidfd of
   * this process, then kills the container's cgroup and PID 1, records the exit and exits).
   */
  disposable?: boolean;
  /** Docker's default seccomp profile when the spec has none. Default true. */
  defaultSeccomp?: boolean;
}

/** What `monitor.json` records. */
export interface DetachedStarted {
  /** The container's PID 1, in the host pid namespace. */
  pid: number;
  /** The monitor's pid. */
  monitorPid: number;
  /** RFC 3339 start time. */
  startedAt: string;
  /** PID 1's start time in clock ticks since boot (against recycled pids), null if unknown. */
  startTime: number | null;
  /** The monitor's start time in clock ticks since boot. */
  monitorStartTime: number | null;
}

/** What `exit.json` records. */
export interface DetachedExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
}

interface MonitorError {
  error: { message: string; errno: number; code: string; syscall: string; path: string | null };
}

/** The first line `out` gives (all of it when it ends first); `out` is destroyed after. */
function firstLine(out: Socket): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    out.once('error', reject);
    out.setEncoding('utf8');
    out.on('data', (d: string) => {
      text += d;
      const nl = text.indexOf('\n');
      if (nl >= 0) resolve(text.slice(0, nl));
    });
    out.once('end', () => resolve(text));
  }).finally(() => out.destroy());
}

/** Starts `spec` under a monitor; resolves once PID 1 runs (or rejects with the start failure). */
export async function startDetached(spec: RuntimeSpec, options: DetachedOptions): Promise<DetachedStarted> {
  await mkdir(options.stateDir, { recursive: true });
  const tmp = join(options.stateDir, '.config.json.tmp');
  await writeFile(tmp, JSON.stringify(spec));
  await rename(tmp, join(options.stateDir, 'config.json'));
  const args = [options.stateDir];
  const dirs = [...(options.cgroupPaths ?? [])];
  for (const d of options.cgroup?.paths ?? []) if (!dirs.includes(d)) dirs.push(d);
  for (const dir of dirs) args.push('--cgroup', dir);
  if (options.defaultSeccomp === false) args.push('--no-default-seccomp');
  if (options.disposable) {
    const own = selfIdentity();
    args.push('--disposable', own.startTime === null ? String(own.pid) : `${own.pid}:${own.startTime}`);
  }
  const monitor = monitorPath();
  if (!existsSync(monitor)) {
    throw new NativeLoadError(
      'ERR_NATIVE_MISSING',
      `${monitor} is missing, which detached containers need: reinstall ocikit or run \`npm rebuild ocikit\` (builds it with Rust's cargo)`,
    );
  }
  // posix_spawn from the addon: child_process.spawn would fork Node, and reap on every SIGCHLD
  const child = callNative(() => native().spawnMonitor(monitor, args));
  log('monitor %d started for %s', child.pid, options.stateDir);
  const line = await firstLine(new Socket({ fd: child.stdout, readable: true, writable: false }));
  const parsed = JSON.parse(line || '{"error":{"message":"the monitor exited without a word","errno":5,"code":"EIO","syscall":"ocikit-monitor","path":null}}') as
    | DetachedStarted
    | MonitorError;
  if ('error' in parsed) {
    const e = parsed.error;
    throw new SyscallError(syscallMessage(e.message, e.syscall, e.code, e.path ?? undefined), {
      errno: e.errno,
      syscall: e.syscall,
      errnoName: e.code,
      ...(e.path !== null ? { path: e.path } : {}),
    });
  }
  return parsed;
}

/** The recorded exit of a detached container, or undefined while it runs. */
export async function readDetachedExit(stateDir: string): Promise<DetachedExit | undefined> {
  let text: string;
  try {
    text = await readFile(join(stateDir, 'exit.json'), 'utf8');
  } catch {
    return undefined;
  }
  const raw = JSON.parse(text) as Omit<DetachedExit, 'signal'> & { signal: number };
  const name = Object.entries(constants.signals).find(([, n]) => n === raw.signal)?.[0] as NodeJS.Signals | undefined;
  return { ...raw, signal: raw.signal === 0 ? null : (name ?? null) };
}

/** A detached container's PID 1 as recorded in `monitor.json`. */
export interface DetachedTarget {
  pid: number;
  /** Clock ticks since boot; when given, a recycled pid is never signalled. */
  startTime?: number | null;
}

async function readTarget(target: string | DetachedTarget): Promise<DetachedTarget> {
  if (typeof target !== 'string') return target;
  const m = JSON.parse(await readFile(join(target, 'monitor.json'), 'utf8')) as DetachedStarted;
  return { pid: m.pid, startTime: m.startTime ?? null };
}

function signalNumber(signal: NodeJS.Signals | number): number {
  if (typeof signal === 'number') return signal;
  const n = constants.signals[signal];
  if (n === undefined) throw new TypeError(`unknown signal ${String(signal)}`);
  return n;
}

/**
 * Signals a detached container's PID 1 from any process: `target` is its state directory (whose
 * `monitor.json` is read) or the recorded pid and start time. Goes through a pidfd after checking
 * the start time, so a recycled pid is never hit. Resolves false when the container is gone.
 */
export async function killDetached(target: string | DetachedTarget, signal: NodeJS.Signals | number = 'SIGTERM'): Promise<boolean> {
  const t = await readTarget(target);
  const n = signalNumber(signal);
  return callNative(() => native().signalChecked(t.pid, t.startTime ?? null, n));
}

/** Options of {@link stopDetached}. */
export interface StopDetachedOptions {
  /** The polite signal. Default SIGTERM. */
  signal?: NodeJS.Signals;
  /** How long to wait before SIGKILL, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** The container's cgroup: after the timeout every process in it is killed. */
  cgroup?: Cgroup;
}

function waitExit(stateDir: string, ms: number): Promise<DetachedExit | undefined> {
  return waitForFile(stateDir, 'exit.json', () => readDetachedExit(stateDir), ms);
}

/**
 * Stops a detached container from any process: `signal` to PID 1, then after the timeout SIGKILL
 * to its whole cgroup (or PID 1), then waits for the monitor to record the exit.
 */
export async function stopDetached(stateDir: string, options: StopDetachedOptions = {}): Promise<DetachedExit> {
  const done = await readDetachedExit(stateDir);
  if (done) return done;
  const target = await readTarget(stateDir);
  await killDetached(target, options.signal ?? 'SIGTERM');
  let exit = await waitExit(stateDir, options.timeoutMs ?? 10_000);
  if (exit) return exit;
  if (options.cgroup) {
    try {
      await options.cgroup.killAll('SIGKILL');
    } catch (err) {
      log('stop: cgroup kill failed, PID 1 only: %s', String(err)); // falls back to PID 1 below
    }
  }
  await killDetached(target, 'SIGKILL');
  exit = await waitExit(stateDir, 10_000);
  if (!exit) throw new SyscallError(`the monitor of ${stateDir} recorded no exit`, { errno: 110, syscall: 'stop', errnoName: 'ETIMEDOUT', path: stateDir });
  return exit;
}
