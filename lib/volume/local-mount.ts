/**
 * Driver options of the `local` volume driver (`type`, `device`, `o`, as
 * `docker volume create --opt`), mounted on the volume's `_data` while some
 * container uses it, through the system's `mount` and `umount`.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { VolumeError } from '../errors.js';
import { logger } from '../log.js';

const log = logger('volume');
const run = promisify(execFile);

const KEYS = new Set(['type', 'device', 'o']);

/** Throws unless `opts` are options the local driver understands. */
export function checkDriverOptions(name: string, opts: Record<string, string>): void {
  const keys = Object.keys(opts);
  for (const key of keys) {
    if (!KEYS.has(key)) {
      throw new VolumeError('ERR_INVALID_VOLUME_OPTION', `volume ${name}: unknown driver option ${JSON.stringify(key)} (type, device and o are)`, {
        volume: name,
      });
    }
    const value = opts[key];
    if (typeof value !== 'string' || value.startsWith('-') || value.includes('\0')) {
      throw new VolumeError('ERR_INVALID_VOLUME_OPTION', `volume ${name}: driver option ${key} has an invalid value`, { volume: name });
    }
  }
  if (keys.length > 0 && (opts['type'] === undefined || opts['device'] === undefined)) {
    throw new VolumeError('ERR_INVALID_VOLUME_OPTION', `volume ${name}: driver options need both type and device`, { volume: name });
  }
}

/** Mounts the options on `target`. */
export async function mountOptions(name: string, opts: Record<string, string>, target: string): Promise<void> {
  const args = ['-t', opts['type'] ?? 'none'];
  if (opts['o'] !== undefined && opts['o'] !== '') args.push('-o', opts['o']);
  args.push('--', opts['device'] ?? 'none', target);
  log('mount %o', args);
  try {
    await run('mount', args);
  } catch (err) {
    throw new VolumeError('ERR_VOLUME_MOUNT', `cannot mount volume ${name}: ${stderrOf(err)}`, { cause: err, volume: name });
  }
}

/** Unmounts `target`. */
export async function unmount(name: string, target: string): Promise<void> {
  log('umount %s', target);
  try {
    await run('umount', ['--', target]);
  } catch (err) {
    throw new VolumeError('ERR_VOLUME_UNMOUNT', `cannot unmount volume ${name}: ${stderrOf(err)}`, { cause: err, volume: name });
  }
}

function stderrOf(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  return typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : String(err);
}
