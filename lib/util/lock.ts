/**
 * An exclusive lock between processes (and between callers in one process),
 * held as a lock file created with `O_EXCL`. The file records the owner's PID
 * and start time, so a lock left by a dead process is detected and broken.
 *
 * @module
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../errors.js';
import { ownStartTime, procStat } from './process-identity.js';
import { logger } from '../log.js';

const log = logger('lock');

/** Options of {@link withLock}. */
export interface LockOptions {
  /** Give up after this many milliseconds (default 60 s). */
  timeoutMs?: number;
  /** Delay between attempts while the lock is held elsewhere (default 10 ms, growing to 100 ms). */
  pollMs?: number;
}

/** Lock files without a readable owner (mid-creation) are considered stale after this long. */
const UNOWNED_STALE_MS = 10_000;

const inProcess = new Map<string, Promise<void>>();

/**
 * Runs `fn` while holding the exclusive lock file at `path`, then releases it,
 * also when `fn` throws. Waits while another process or another caller of this
 * process holds it; breaks the lock of a process that no longer exists. Not
 * reentrant: calling it for the same path from inside `fn` deadlocks.
 *
 * @throws StoreError `ERR_LOCK_TIMEOUT` when the lock stays held past the timeout.
 */
export async function withLock<T>(path: string, fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const previous = inProcess.get(path) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => {
    done = resolve;
  });
  const chained = previous.then(() => mine);
  inProcess.set(path, chained);
  try {
    await previous;
    const token = await acquire(path, options);
    try {
      return await fn();
    } finally {
      await release(path, token);
    }
  } finally {
    done();
    if (inProcess.get(path) === chained) inProcess.delete(path);
  }
}

/** Start time of `pid` as written into lock files, if it exists. */
function processStartTime(pid: number): string | undefined {
  const st = procStat(pid);
  return st === undefined ? undefined : String(st.startTime);
}

async function acquire(path: string, options: LockOptions): Promise<string> {
  // our identity as written into lock files: `pid starttime`
  const own = ownStartTime();
  const token = own === null ? `${process.pid} 0` : `${process.pid} ${own}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let delay = options.pollMs ?? 10;
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(`${token}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      return token;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError('ERR_LOCK', `cannot create lock file ${path}`, { cause: err });
      }
    }
    if (await breakIfStale(path)) continue;
    if (Date.now() >= deadline) {
      throw new StoreError('ERR_LOCK_TIMEOUT', `timed out waiting for lock ${path} (held by ${await holder(path)})`);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
}

async function holder(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim() || 'an unknown process';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'nobody now';
    throw new StoreError('ERR_LOCK', `cannot read lock file ${path}`, { cause: err });
  }
}

/**
 * Removes the lock at `path` if its owner is gone. A second lock file
 * (`path.break`) makes sure only one process breaks it, so a fresh lock taken
 * right after the stale one is never removed by a slower breaker.
 */
async function breakIfStale(path: string): Promise<boolean> {
  if (!(await isStale(path))) return false;
  const breaker = `${path}.break`;
  let fh;
  try {
    fh = await open(breaker, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError('ERR_LOCK', `cannot create ${breaker}`, { cause: err });
    // another process is breaking it; a breaker left by a crash goes away once old
    const info = await stat(breaker).catch(() => undefined);
    if (info !== undefined && Date.now() - info.mtimeMs > UNOWNED_STALE_MS) await rm(breaker, { force: true });
    return false;
  }
  try {
    await fh.close();
    if (!(await isStale(path))) return false;
    log('breaking stale lock %s held by %s', path, await holder(path));
    await rm(path, { force: true });
    return true;
  } finally {
    await rm(breaker, { force: true });
  }
}

async function isStale(path: string): Promise<boolean> {
  let content: string;
  let mtimeMs: number;
  try {
    [content, mtimeMs] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mtimeMs)]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // released meanwhile: just retry
    throw new StoreError('ERR_LOCK', `cannot read lock file ${path}`, { cause: err });
  }
  const match = /^(\d+) (\d+)\n?$/.exec(content);
  if (match === null) return Date.now() - mtimeMs > UNOWNED_STALE_MS;
  const pid = Number(match[1]);
  const start = match[2];
  const current = processStartTime(pid);
  if (current === undefined) return true;
  // start time 0 means the owner could not read its own; trust the PID alone
  return start !== '0' && current !== start;
}

async function release(path: string, token: string): Promise<void> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      log('lock %s vanished while held', path);
      return;
    }
    throw new StoreError('ERR_LOCK', `cannot read lock file ${path}`, { cause: err });
  }
  if (content.trim() !== token) {
    log('lock %s was taken over (%s) while held', path, content.trim());
    return;
  }
  await rm(path, { force: true });
}
