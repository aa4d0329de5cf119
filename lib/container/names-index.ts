/**
 * The names index of a containers directory: `names.json` (name → container id), changed only
 * under `names.lock`, so two processes never take one name.
 *
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerError } from '../errors.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { withLock } from '../util/lock.js';

/** `<dir>/names.json`. */
export function namesPath(dir: string): string {
  return join(dir, 'names.json');
}

/**
 * The index as it is now (read without the lock: writes are atomic).
 *
 * @throws ContainerError `ERR_STATE_CORRUPT`.
 */
export async function readNames(dir: string): Promise<Record<string, string>> {
  const path = namesPath(dir);
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ContainerError('ERR_STATE_CORRUPT', `cannot read ${path}`, { cause: err });
  }
  throw new ContainerError('ERR_STATE_CORRUPT', `${path} is not a JSON object`);
}

/** Runs `fn` on the index while holding its lock; writes it back when `fn` says so. */
export async function withNames<T>(dir: string, fn: (names: Record<string, string>) => Promise<{ value: T; changed: boolean }>): Promise<T> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return withLock(join(dir, 'names.lock'), async () => {
    const names = await readNames(dir);
    const { value, changed } = await fn(names);
    if (changed) await writeJsonAtomic(namesPath(dir), names);
    return value;
  });
}
