/**
 * Containers on disk: `<root>/containers/<id>/state.json` plus a names index
 * (`names.json`) that a lock file guards, so two processes never take one name.
 *
 * @module
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerError } from '../errors.js';
import { logger } from '../log.js';
import { storageRoot } from '../paths.js';
import { syncDir, writeJsonAtomic } from '../util/atomic-write.js';
import { crashPoint } from '../util/crash-point.js';
import { isAlive, selfIdentity } from '../util/process-identity.js';
import { withLock } from '../util/lock.js';
import { mountsUnderAsync } from './mountinfo.js';
import { isFullId, randomName, validateName } from './names.js';
import { namesPath, readNames, withNames } from './names-index.js';
import { readStateFile, writeStateFile, type ContainerState } from './state.js';

const log = logger('container');

/** Random names tried before giving up. */
const NAME_ATTEMPTS = 20;

/** Prefix of a container directory being created: `.creating-<id>-<pid>-<start time>`. */
const CREATING = '.creating-';
const TMP_RE = /^\.creating-([0-9a-f]{64})-(\d+)-(\d+)$/;

function notFound(ref: string): ContainerError {
  return new ContainerError('ERR_CONTAINER_NOT_FOUND', `no such container: ${ref}`);
}

/** The container records under one storage root. */
export class ContainerStore {
  /** The storage root. */
  readonly root: string;
  /** `<root>/containers`. */
  readonly dir: string;

  /** @param root storage root; {@link storageRoot} by default. */
  constructor(root: string = storageRoot()) {
    this.root = root;
    this.dir = join(root, 'containers');
  }

  /**
   * Directory of container `id`.
   *
   * @throws ContainerError `ERR_INVALID_ID` unless `id` is 64 hex digits.
   */
  containerDir(id: string): string {
    if (!isFullId(id)) throw new ContainerError('ERR_INVALID_ID', `invalid container id ${JSON.stringify(id)}`);
    return join(this.dir, id);
  }

  private statePath(id: string): string {
    return join(this.containerDir(id), 'state.json');
  }

  /** Whether `id` still has a directory (a name whose owner is gone may be taken again). */
  private async exists(id: string): Promise<boolean> {
    if (!isFullId(id)) return false;
    try {
      await readdir(this.containerDir(id));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Whether `id` holds its names: it has a state file, and is either whole or still being made by
   * a live process. A directory without a state file or a creation whose creator died holds none.
   */
  private async holds(id: string): Promise<boolean> {
    if (!isFullId(id)) return false;
    let state: ContainerState | undefined;
    try {
      state = await readStateFile(this.statePath(id));
    } catch {
      return true; // unreadable: kept, never taken over
    }
    return state !== undefined && (state.creating === undefined || isAlive(state.creating));
  }

  /**
   * Records a new container, atomically for every other process: its directory is made under a
   * temp name that names this process, gets `state.json` (marked {@link ContainerState.creating}),
   * and is renamed into place under the names lock right after its name (or a random one when
   * `state.name` is empty) is written to the index. Until {@link ContainerStore.finishCreate}
   * nobody else sees it; if this process dies first, {@link ContainerStore.abandoned} hands it
   * to collection. Returns the state as written.
   *
   * @throws ContainerError `ERR_NAME_IN_USE`, `ERR_INVALID_NAME`, `ERR_ID_IN_USE`.
   */
  async create(state: ContainerState): Promise<ContainerState> {
    const dir = this.containerDir(state.id);
    const explicit = state.name === '' ? undefined : validateName(state.name);
    const me = selfIdentity();
    const tmp = join(this.dir, `${CREATING}${state.id}-${me.pid}-${me.startTime ?? 0}`);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await mkdir(tmp, { mode: 0o700 });
    try {
      crashPoint('create:tmp');
      return await withNames(this.dir, async (names) => {
        if (await this.exists(state.id)) throw new ContainerError('ERR_ID_IN_USE', `container id ${state.id} already exists`);
        const name = await this.pickName(names, explicit, state.id);
        const saved: ContainerState = { ...state, name, creating: me };
        await writeStateFile(join(tmp, 'state.json'), saved);
        crashPoint('create:state');
        names[name] = state.id;
        await writeJsonAtomic(namesPath(this.dir), names);
        crashPoint('create:name');
        await rename(tmp, dir);
        await syncDir(this.dir);
        return { value: saved, changed: false };
      });
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  /** Makes a container made by {@link ContainerStore.create} visible: saves `state` without its creation mark. */
  async finishCreate(state: ContainerState): Promise<ContainerState> {
    const { creating: _c, ...done } = state;
    await this.save(done);
    return done;
  }

  private async pickName(names: Record<string, string>, explicit: string | undefined, id: string): Promise<string> {
    const free = async (n: string): Promise<boolean> => {
      const owner = names[n];
      return owner === undefined || owner === id || !(await this.holds(owner));
    };
    if (explicit !== undefined) {
      if (await free(explicit)) return explicit;
      throw new ContainerError('ERR_NAME_IN_USE', `the container name "/${explicit}" is already in use by container ${names[explicit] as string}`);
    }
    for (let i = 0; i < NAME_ATTEMPTS; i++) {
      const n = randomName(i >= NAME_ATTEMPTS / 2 ? 1 : 0);
      if (await free(n)) return n;
    }
    throw new ContainerError('ERR_NAME_IN_USE', 'could not find a free random container name');
  }

  /**
   * What killed creators left, healed from any process: removes their temp directories and
   * container directories without a state file (unless something is mounted there), drops names
   * that no container holds, and returns the states of creations whose creator is gone, for the
   * caller to roll back (their snapshot and volumes are released by `destroy`).
   */
  async abandoned(): Promise<ContainerState[]> {
    let entries: string[];
    try {
      entries = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: ContainerState[] = [];
    for (const e of entries) {
      const m = TMP_RE.exec(e);
      if (m !== null) {
        if (!isAlive({ pid: Number(m[2]), startTime: Number(m[3]) || null })) {
          log('removing %s, left by a killed creator', e);
          await rm(join(this.dir, e), { recursive: true, force: true });
        }
        continue;
      }
      if (!isFullId(e)) continue;
      const state = await readStateFile(this.statePath(e)).catch(() => null);
      if (state === undefined && (await mountsUnderAsync(this.containerDir(e))).length === 0) {
        log('removing container directory %s: it has no state', e);
        await rm(this.containerDir(e), { recursive: true, force: true }).catch(() => undefined);
      } else if (state?.creating !== undefined && !isAlive(state.creating)) out.push(state);
    }
    await this.pruneNames();
    return out;
  }

  /** Drops index entries whose container holds no name (checked again under the lock). */
  private async pruneNames(): Promise<void> {
    const dangling = async (names: Record<string, string>): Promise<string[]> => {
      const out: string[] = [];
      for (const [n, owner] of Object.entries(names)) if (!(await this.holds(owner))) out.push(n);
      return out;
    };
    if ((await dangling(await readNames(this.dir))).length === 0) return;
    await withNames(this.dir, async (names) => {
      const gone = await dangling(names);
      for (const n of gone) delete names[n];
      return { value: undefined, changed: gone.length > 0 };
    });
  }

  private async releaseName(id: string): Promise<void> {
    await withNames(this.dir, async (names) => {
      let changed = false;
      for (const [n, owner] of Object.entries(names)) {
        if (owner === id) {
          delete names[n];
          changed = true;
        }
      }
      return { value: undefined, changed };
    });
  }

  /** Overwrites the state of an existing container atomically. */
  async save(state: ContainerState): Promise<void> {
    await writeStateFile(this.statePath(state.id), state);
  }

  /**
   * Changes a container's state under its own lock: reads it, applies
   * `change`, writes the result and returns it.
   */
  async update(id: string, change: (s: ContainerState) => ContainerState | Promise<ContainerState>): Promise<ContainerState> {
    return withLock(join(this.containerDir(id), 'state.lock'), async () => {
      const next = await change(await this.get(id));
      await this.save(next);
      return next;
    });
  }

  /**
   * The state of the container with full id `id`.
   *
   * @throws ContainerError `ERR_CONTAINER_NOT_FOUND`.
   */
  async get(id: string): Promise<ContainerState> {
    const state = await this.visible(id);
    if (state === undefined) throw notFound(id);
    return state;
  }

  /** The state of `id` unless it has none or is still being created. */
  private async visible(id: string | undefined): Promise<ContainerState | undefined> {
    const state = id !== undefined && isFullId(id) ? await readStateFile(this.statePath(id)) : undefined;
    return state?.creating === undefined ? state : undefined;
  }

  /** Ids of every container directory. */
  private async ids(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter(isFullId);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /**
   * Finds a container as Docker does: by full id, then by name (with or
   * without a leading `/`), then by unique id prefix.
   *
   * @throws ContainerError `ERR_CONTAINER_NOT_FOUND`, `ERR_AMBIGUOUS_ID`.
   */
  async find(ref: string): Promise<ContainerState> {
    if (ref === '') throw notFound(ref);
    const byId = await this.visible(ref);
    if (byId !== undefined) return byId;
    const byName = await this.visible((await readNames(this.dir))[ref.startsWith('/') ? ref.slice(1) : ref]);
    if (byName !== undefined) return byName;
    if (!/^[0-9a-f]+$/.test(ref)) throw notFound(ref);
    const matches = (await this.ids()).filter((id) => id.startsWith(ref));
    if (matches.length > 1) {
      throw new ContainerError('ERR_AMBIGUOUS_ID', `container id prefix ${ref} is ambiguous: it matches ${matches.length} containers`);
    }
    const state = await this.visible(matches[0]);
    if (state === undefined) throw notFound(ref);
    return state;
  }

  /** Every recorded container, oldest first; directories without a state file and creations in progress are skipped. */
  async list(): Promise<ContainerState[]> {
    const states = await Promise.all((await this.ids()).map((id) => this.visible(id)));
    return states.filter((s): s is ContainerState => s !== undefined).sort((a, b) => a.created.localeCompare(b.created));
  }

  /**
   * Forgets container `id`: frees its name and removes its directory. The
   * caller unmounts everything first; a directory with a mount below it is
   * refused rather than emptied through the mount.
   *
   * @throws ContainerError `ERR_CONTAINER_BUSY` when something is mounted in the directory.
   */
  async removeState(id: string): Promise<void> {
    const dir = this.containerDir(id);
    const busy = (await mountsUnderAsync(dir)).length > 0;
    if (busy) throw new ContainerError('ERR_CONTAINER_BUSY', `container ${id} still has mounts under ${dir}`);
    await this.releaseName(id);
    await rm(join(dir, 'state.json'), { force: true });
    await rm(dir, { recursive: true, force: true });
    log('removed container %s', id);
  }
}
