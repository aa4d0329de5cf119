/**
 * What a started container leaves beside its state: `run.json` (how it runs
 * and which processes own it), `prepared.json` (its snapshot) and
 * `image-config.json` (the image config it was created from).
 *
 * @module
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageConfig } from '../oci/image-types.js';
import type { PreparedRootfs } from '../snapshot/types.js';
import { writeJsonAtomic } from '../util/atomic-write.js';

/** How the current (or last) run of a container was started. */
export interface RunRecord {
  /** `attached`: spawned by {@link RunRecord.ownerPid}; `detached`: under `ocikit-monitor`. */
  mode: 'attached' | 'detached';
  /** PID 1 of the container on the host. */
  pid: number;
  /** PID 1's start time in clock ticks since boot (guards against recycled pids). */
  startTime: number | null;
  /** The monitor's pid (detached). */
  monitorPid?: number;
  /** The process that started this run. */
  ownerPid: number;
  ownerStartTime: number | null;
  /** The container's cgroup directories. */
  cgroupPaths: string[];
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

export const readRun = (dir: string): Promise<RunRecord | undefined> => readJson<RunRecord>(join(dir, 'run.json'));
export const writeRun = (dir: string, r: RunRecord): Promise<void> => writeJsonAtomic(join(dir, 'run.json'), r);
export const removeRun = (dir: string): Promise<void> => rm(join(dir, 'run.json'), { force: true });

export const readPrepared = (dir: string): Promise<PreparedRootfs | undefined> => readJson<PreparedRootfs>(join(dir, 'prepared.json'));
export const writePrepared = (dir: string, p: PreparedRootfs): Promise<void> => writeJsonAtomic(join(dir, 'prepared.json'), p);

export const readImageConfig = (dir: string): Promise<ImageConfig | undefined> => readJson<ImageConfig>(join(dir, 'image-config.json'));
export const writeImageConfig = (dir: string, c: ImageConfig): Promise<void> => writeJsonAtomic(join(dir, 'image-config.json'), c);
