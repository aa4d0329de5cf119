/**
 * Waiting for a file another process creates by rename (the monitor's `exit.json`) without
 * polling: an inotify watch on its directory (`fs.watch`) wakes the waiter when the name
 * appears, and a slow fallback poll covers a watch that cannot be set up or misses the event.
 * One read per wake-up instead of one every 10 ms per container keeps many parallel stops off
 * the JS thread.
 *
 * @module
 */
import { watch, type FSWatcher } from 'node:fs';

/** Fallback poll while a watch is active; also the poll period when no watch could be made. */
export const FALLBACK_POLL_MS = 250;

/**
 * Resolves with `read()`'s first defined result, or undefined once `ms` have passed. `read` runs
 * right after the watch is set up (nothing created before that is missed), on every event for
 * `name` in `dir`, on the fallback poll and once more at the deadline.
 */
export function waitForFile<T>(dir: string, name: string, read: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let watcher: FSWatcher | undefined;
    let poll: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    let settled = false;
    let expired = false;
    let reading = false;
    let again = false;
    const finish = (v: T | undefined, err?: unknown): void => {
      if (settled) return;
      settled = true;
      watcher?.close();
      clearInterval(poll);
      clearTimeout(deadline);
      if (err !== undefined) reject(err);
      else resolve(v);
    };
    const check = (): void => {
      if (settled) return;
      if (reading) {
        again = true; // woken while a read is in flight: read once more afterwards
        return;
      }
      reading = true;
      again = false;
      read().then((v) => {
        reading = false;
        if (v !== undefined || (expired && !again)) finish(v);
        else if (again || expired) check();
      }, (err: unknown) => finish(undefined, err));
    };
    try {
      watcher = watch(dir, { persistent: false }, (_event, file) => {
        if (file === null || file === name) check();
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined; // the fallback poll carries on
      });
    } catch {
      watcher = undefined; // no inotify (ENOSPC, ENOENT...): poll only
    }
    poll = setInterval(() => check(), FALLBACK_POLL_MS);
    deadline = setTimeout(() => {
      expired = true; // one last read (after any in flight), then give up
      check();
    }, ms);
    check();
  });
}
