/**
 * The record of one container on disk: `<root>/containers/<id>/state.json`.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { ContainerError } from '../errors.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import type { ContainerOptions, MountOption } from './options.js';

/** Version of the state file layout. */
export const STATE_VERSION = 1;

/** Where a container is in its life. */
export type ContainerStatus = 'created' | 'running' | 'paused' | 'exited' | 'removing' | 'dead';

/** Every {@link ContainerStatus}. */
export const CONTAINER_STATUSES: readonly ContainerStatus[] = Object.freeze(['created', 'running', 'paused', 'exited', 'removing', 'dead']);

/** The result of merging the image's config with the options. */
export interface MergedConfig {
  args: string[];
  env: string[];
  workdir: string;
  /** The user spec as given (`uid:gid`, `name` …). */
  user: string;
  hostname: string;
  labels: Record<string, string>;
  stopSignal: string;
  /** Seconds between stop signal and SIGKILL. */
  stopTimeout: number;
  tty: boolean;
  openStdin: boolean;
}

/** A mount of the container as recorded. */
export interface MountRecord {
  option: MountOption;
  /** Host path bound, if any. */
  hostPath?: string;
  /** Name of the volume, for volume mounts (generated for anonymous ones). */
  volume?: string;
  /** An anonymous volume, removed with the container when `rm` is set. */
  anonymous?: boolean;
}

/** A process that froze a container for a copy or commit (see freeze.ts). */
export interface FreezeHolder {
  pid: number;
  startTime: number | null;
  /** Tells apart two holds of one process. */
  token: string;
}

/** Everything ocikit remembers about a container. */
export interface ContainerState {
  version: typeof STATE_VERSION;
  /** 64 hex digits. */
  id: string;
  /** Unique name, without a leading `/`. */
  name: string;
  /** ISO 8601 creation time. */
  created: string;
  image: {
    /** The reference the user gave, normalised. */
    ref: string;
    /** The image id (digest of its config). */
    id: string;
    /** Manifest digest, when known. */
    digest?: string;
  };
  config: { options: ContainerOptions; merged: MergedConfig };
  status: ContainerStatus;
  /** PID of the container's init process on the host, while it runs. */
  pid?: number;
  /** ISO 8601 times of the last start and exit. */
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  oomKilled: boolean;
  /** The container dies with the process {@link ContainerState.ownerPid}. */
  disposable: boolean;
  /** PID of the process that created the container. */
  ownerPid: number;
  /**
   * Set while the container is being created, by the creating process: until it is cleared the
   * container is seen by nobody, and once that process is gone, collection rolls it back.
   */
  creating?: { pid: number; startTime: number | null };
  /** Set while paused for copies or commits rather than by the user: who holds the freeze. */
  freezeHolders?: FreezeHolder[];
  /** Which snapshotter prepared the rootfs: `overlay` or `copy`. */
  snapshotter: string;
  /** Host path of the root filesystem. */
  rootfs: string;
  mounts: MountRecord[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks the shape of a parsed state file.
 *
 * @throws ContainerError `ERR_STATE_CORRUPT`.
 */
export function validateState(v: unknown, where: string): ContainerState {
  const bad = (what: string): never => {
    throw new ContainerError('ERR_STATE_CORRUPT', `container state ${where} is corrupt: ${what}`);
  };
  if (!isObject(v)) return bad('not an object');
  if (v['version'] !== STATE_VERSION) bad(`unknown version ${String(v['version'])}`);
  for (const k of ['id', 'name', 'created', 'snapshotter', 'rootfs']) if (typeof v[k] !== 'string') bad(`${k} is not a string`);
  if (!CONTAINER_STATUSES.includes(v['status'] as ContainerStatus)) bad(`unknown status ${String(v['status'])}`);
  if (!isObject(v['image']) || !isObject(v['config'])) bad('image or config missing');
  if (!Array.isArray(v['mounts'])) bad('mounts is not a list');
  if (typeof v['ownerPid'] !== 'number' || typeof v['oomKilled'] !== 'boolean' || typeof v['disposable'] !== 'boolean') {
    bad('ownerPid, oomKilled or disposable missing');
  }
  return v as unknown as ContainerState;
}

/** Reads a state file; `undefined` when it does not exist. */
export async function readStateFile(path: string): Promise<ContainerState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ContainerError('ERR_STATE_READ', `cannot read container state ${path}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ContainerError('ERR_STATE_CORRUPT', `container state ${path} is not JSON`, { cause: err });
  }
  return validateState(parsed, path);
}

/** Writes a state file atomically (temp file, fsync, rename). */
export async function writeStateFile(path: string, state: ContainerState): Promise<void> {
  await writeJsonAtomic(path, state);
}
