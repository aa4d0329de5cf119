/**
 * A process named by pid and start time, so that a recycled pid is never taken for the process
 * that wrote a record, a temp file or a lock. Read from `/proc/<pid>/stat`, without the addon, so
 * that telling whether a process lives never depends on the native side loading. When it cannot
 * be told, the answer is never "dead".
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { RuntimeError } from '../errors.js';

/** A process as recorded: pid and start time in clock ticks since boot (null if it was unknown). */
export interface ProcessIdentity {
  pid: number;
  startTime: number | null;
}

/** What `/proc/<pid>/stat` says about a process. */
export interface ProcStat {
  /** One-letter state (`R`, `S`, `Z`…). */
  state: string;
  /** Start time in clock ticks since boot (field 22): with the pid, the identity of a process. */
  startTime: number;
}

/**
 * The stat of `pid`, or undefined when no such process exists.
 * @throws RuntimeError `ERR_PROC_UNREADABLE` when it cannot be told (unreadable, unparsable).
 */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw new RuntimeError('ERR_PROC_UNREADABLE', `cannot read /proc/${pid}/stat: ${String(err)}`, { cause: err });
  }
  // the command name (field 2) may hold spaces and parentheses: fields go on after the last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const startTime = Number(fields[19]);
  if (!fields[0] || !Number.isSafeInteger(startTime)) {
    throw new RuntimeError('ERR_PROC_UNREADABLE', `cannot parse /proc/${pid}/stat`);
  }
  return { state: fields[0], startTime };
}

/**
 * Whether `pid` runs and is the process that started at `startTime` (a zombie counts as gone; a
 * null start time trusts the pid): `unknown` when that cannot be told, which never means dead.
 */
export function liveness(pid: number | undefined, startTime: number | null | undefined): 'alive' | 'dead' | 'unknown' {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return 'dead';
  let st: ProcStat | undefined;
  try {
    st = procStat(pid);
  } catch {
    return 'unknown';
  }
  if (st === undefined) return 'dead';
  if (startTime !== null && startTime !== undefined && st.startTime !== startTime) return 'dead';
  return st.state === 'Z' || st.state === 'X' ? 'dead' : 'alive';
}

/** Whether `who` may still run: only a process known to be gone is not (see {@link liveness}). */
export function isAlive(who: ProcessIdentity): boolean {
  return liveness(who.pid, who.startTime) !== 'dead';
}

/** Start time of `pid` (see {@link ProcStat}), or null when it is gone or cannot be read. */
export function startTimeOf(pid: number): number | null {
  try {
    return procStat(pid)?.startTime ?? null;
  } catch {
    return null;
  }
}

/** This process's identity. */
export function selfIdentity(): ProcessIdentity {
  return { pid: process.pid, startTime: ownStartTime() };
}

/** This process's start time never changes: read once (per pid), not on every lock and state write. */
let own: { pid: number; startTime: number | null } | undefined;

/** This process's start time in clock ticks since boot, null if unknown (not cached then). */
export function ownStartTime(): number | null {
  if (own?.pid === process.pid) return own.startTime;
  const startTime = startTimeOf(process.pid);
  if (startTime !== null) own = { pid: process.pid, startTime };
  return startTime;
}
