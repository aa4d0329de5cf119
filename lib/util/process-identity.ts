/**
 * A process named by pid and start time, so that a recycled pid is never taken for the process
 * that wrote a record, a temp file or a lock. Read from `/proc`, without the addon.
 *
 * @internal
 * @module
 */
import { readFileSync } from 'node:fs';

/** A process as recorded: pid and start time in clock ticks since boot (null if it was unknown). */
export interface ProcessIdentity {
  pid: number;
  startTime: number | null;
}

function stat(pid: number): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // the command name (field 2) may hold spaces and parentheses: fields start after the last ')'
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** This process's identity. */
export function selfIdentity(): ProcessIdentity {
  const start = Number(stat(process.pid)?.[19]);
  return { pid: process.pid, startTime: Number.isInteger(start) ? start : null };
}

/** Whether the process `who` still runs (a zombie counts as gone; a null start time trusts the pid). */
export function isAlive(who: ProcessIdentity): boolean {
  if (!Number.isInteger(who.pid) || who.pid <= 0) return false;
  const fields = stat(who.pid);
  if (fields === undefined || fields[0] === 'Z') return false;
  return who.startTime === null || Number(fields[19]) === who.startTime;
}
