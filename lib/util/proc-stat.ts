/**
 * A process's identity from `/proc/<pid>/stat`, read without the addon so that telling whether a
 * container's process lives never depends on the native side loading.
 *
 * @internal
 */
import { readFileSync } from 'node:fs';
import { OcikitError } from '../errors.js';

/** What `/proc/<pid>/stat` says about a process. */
export interface ProcStat {
  /** One-letter state (`R`, `S`, `Z`…). */
  state: string;
  /** Start time in clock ticks since boot (field 22): with the pid, the identity of a process. */
  startTime: number;
}

/**
 * The stat of `pid`, or undefined when no such process exists.
 * @throws OcikitError `ERR_PROC_UNREADABLE` when it cannot be told (unreadable, unparsable).
 */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw new OcikitError('ERR_PROC_UNREADABLE', `cannot read /proc/${pid}/stat: ${String(err)}`, { cause: err });
  }
  // the command name (field 2) may hold spaces and parentheses: fields go on after the last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const startTime = Number(fields[19]);
  if (!fields[0] || !Number.isSafeInteger(startTime)) {
    throw new OcikitError('ERR_PROC_UNREADABLE', `cannot parse /proc/${pid}/stat`);
  }
  return { state: fields[0], startTime };
}
