/**
 * One storage root as this process sees it: its container records, the
 * containers this process runs or adopted there, its snapshotter and where its
 * volumes live. Every operation works on one such value, so two roots in one
 * process never see each other's images, containers, volumes or locks.
 *
 * @module
 */
import { join } from 'node:path';
import type { LocalRun } from './container/start.js';
import { ContainerStore } from './container/store.js';
import type { ContainerProcess } from './native/runtime.js';
import { resolveRoot } from './paths.js';
import { createSnapshotter } from './snapshot/index.js';
import type { Snapshotter } from './snapshot/types.js';

/** The per-process state of one storage root. @internal */
export class Storage {
  /** The storage root, absolute. */
  readonly root: string;
  /** Container records under `<root>/containers`. */
  readonly containers: ContainerStore;
  /** Containers of this root spawned (attached) by this process, by id. */
  readonly localRuns = new Map<string, LocalRun>();
  /** PID 1s of this root's containers that another process started, adopted by pidfd, by id. */
  readonly adopted = new Map<string, ContainerProcess>();
  #snapshotter: Snapshotter | undefined;

  constructor(root: string) {
    this.root = root;
    this.containers = new ContainerStore(root);
  }

  /** The snapshotter of this root (the kind recorded under `snapshots/` on first use). */
  get snapshotter(): Snapshotter {
    this.#snapshotter ??= createSnapshotter(this.root);
    return this.#snapshotter;
  }

  /** `<root>/volumes`. */
  get volumesDir(): string {
    return join(this.root, 'volumes');
  }
}

/** The only module state: one {@link Storage} per resolved root. */
const storages = new Map<string, Storage>();

/**
 * The {@link Storage} of `root` (default `$OCIKIT_ROOT`, else `/var/lib/ocikit` as root, else XDG),
 * the same object for every spelling of the same absolute path.
 */
export function storageFor(root?: string): Storage {
  const resolved = resolveRoot(root);
  let s = storages.get(resolved);
  if (s === undefined) {
    s = new Storage(resolved);
    storages.set(resolved, s);
  }
  return s;
}
