/**
 * Named points where a test can have this process killed outright, to check
 * what a SIGKILL at that point leaves on disk and that the next process heals
 * it. Inert unless `OCIKIT_CRASH_AT` names the point; read at each call, so no
 * state is kept here.
 *
 * @module
 */

/** SIGKILLs this process when the environment variable `OCIKIT_CRASH_AT` is `name`. */
export function crashPoint(name: string): void {
  if (process.env['OCIKIT_CRASH_AT'] === name) process.kill(process.pid, 'SIGKILL');
}
