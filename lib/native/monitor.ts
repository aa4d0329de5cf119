/**
 * Detached containers: `ocikit-monitor` becomes the parent of the container's PID 1, writes its
 * output as json-file logs and records its exit in the state directory, and outlives this process.
 *
 * @internal
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { SyscallError } from '../errors.js';
import type { RuntimeSpec } from '../oci/runtime-spec.js';
import { monitorPath } from './addon.js';

/** Options of {@link startDetached}. */
export interface DetachedOptions {
  /** The container's state directory: `config.json`, `monitor.json`, `container.log`, `exit.json`. */
  stateDir: string;
  /** Cgroup directories the container joins. */
  cgroupPaths?: string[];
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

/** Starts `spec` under a monitor; resolves once PID 1 runs (or rejects with the start failure). */
export async function startDetached(spec: RuntimeSpec, options: DetachedOptions): Promise<DetachedStarted> {
  await mkdir(options.stateDir, { recursive: true });
  const tmp = join(options.stateDir, '.config.json.tmp');
  await writeFile(tmp, JSON.stringify(spec));
  await rename(tmp, join(options.stateDir, 'config.json'));
  const args = [options.stateDir];
  for (const dir of options.cgroupPaths ?? []) args.push('--cgroup', dir);
  if (options.defaultSeccomp === false) args.push('--no-default-seccomp');
  const child = spawn(monitorPath(), args, { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.once('error', reject);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      text += d;
      const nl = text.indexOf('\n');
      if (nl >= 0) resolve(text.slice(0, nl));
    });
    child.stdout.once('end', () => resolve(text));
  });
  child.stdout.destroy();
  child.unref();
  const parsed = JSON.parse(line || '{"error":{"message":"the monitor exited without a word","errno":5,"code":"EIO","syscall":"ocikit-monitor","path":null}}') as
    | DetachedStarted
    | MonitorError;
  if ('error' in parsed) {
    const e = parsed.error;
    throw new SyscallError(e.message, {
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
