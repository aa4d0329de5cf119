/**
 * What a container holds on the host while it starts or runs: its cgroup directories and the
 * rootfs mount. `held.json` names them before they are made, so whoever removes the container
 * later (after a SIGKILL of the starter, even with the state still saying Created) finds and
 * releases them: kills what runs in those cgroups and the monitor, unmounts whatever is mounted
 * in the container directory, removes the cgroups.
 *
 * @module
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../log.js';
import { Cgroup, containerCgroupName } from '../native/cgroup.js';
import { unmountAsync } from '../snapshot/mount.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { isAlive } from '../util/process-identity.js';
import { mountsUnderAsync } from './mountinfo.js';
import { readRun } from './runtime-record.js';

const log = logger('container');

/** What `held.json` records. */
export interface HeldRecord {
  /** Cgroup name (`ocikit/<id>`) and the directories it has or will have. */
  cgroupName: string;
  cgroupPaths: string[];
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined; // absent, or cut short by a crash before its rename
  }
}

/** Records, before anything is made, the cgroup container `id` is about to get; returns its record. */
export async function recordHeld(dir: string, id: string): Promise<HeldRecord> {
  const cgroupName = containerCgroupName(id);
  const held: HeldRecord = { cgroupName, cgroupPaths: [...Cgroup.open(cgroupName).paths] };
  await writeJsonAtomic(join(dir, 'held.json'), held);
  return held;
}

async function unmountAll(dir: string): Promise<void> {
  for (const mp of await mountsUnderAsync(dir)) {
    try {
      await unmountAsync(mp);
    } catch {
      try {
        await unmountAsync(mp, true);
      } catch (err) {
        if ((await mountsUnderAsync(mp)).includes(mp)) throw err;
      }
    }
  }
}

/**
 * Releases whatever container directory `dir` holds on the host. With `kill`, first kills every
 * process in its cgroups and its monitor (a container whose record no longer says it runs may
 * still have them after a killed start); without, only releases what an exited run left. Then
 * unmounts everything mounted in `dir` and removes the cgroups; `held.json` goes once all is
 * released. Returns false when a cgroup could not be removed yet (still draining).
 */
export async function releaseHeld(dir: string, kill: boolean): Promise<boolean> {
  const held = await readJson<HeldRecord>(join(dir, 'held.json'));
  const run = await readRun(dir);
  const paths = [...new Set([...(held?.cgroupPaths ?? []), ...(run?.cgroupPaths ?? [])])];
  const cgroup = Cgroup.fromPaths(paths, held?.cgroupName ?? (run ? containerCgroupName(dir.split('/').at(-1) as string) : undefined));
  if (kill) {
    const monitor = await readJson<{ monitorPid?: number; monitorStartTime?: number | null }>(join(dir, 'monitor.json'));
    if (monitor?.monitorPid !== undefined && isAlive({ pid: monitor.monitorPid, startTime: monitor.monitorStartTime ?? null })) {
      try {
        process.kill(monitor.monitorPid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    if (paths.length > 0) {
      try {
        await cgroup.killAll('SIGKILL');
      } catch {
        // no such cgroup (never made, or removed)
      }
    }
  }
  await unmountAll(dir);
  let removed = true;
  if (paths.length > 0) {
    try {
      await cgroup.remove();
    } catch (err) {
      removed = false;
      log('cannot remove the cgroups of %s yet: %s', dir, String(err));
    }
  }
  if (removed) await rm(join(dir, 'held.json'), { force: true });
  return removed;
}
