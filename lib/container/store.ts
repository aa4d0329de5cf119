/**
 * Containers on disk: `<root>/containers/<id>/state.json` plus a names index
 * (`names.json`) that a lock file guards, so two processes never take one name.
 *
 * @internal
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerError } from '../errors.js';
import { logger } from '../log.js';
import { storageRoot } from '../paths.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { withLock } from '../util/lock.js';
import { isFullId, randomName, validateName } from './names.js';
import { readStateFile, writeStateFile, type ContainerState } from './state.js';

const log = logger('container');

/** Random names tried before giving up. */
const NAME_ATTEMPTS = 20;

function notFound(ref: string): ContainerError {
  return new ContainerError('ERR_CONTAINER_NOT_FOUND', `no such container: ${ref}`);
}

/** The container records under one storage root. */
export class ContainerStore {
  /** `<root>/containers`. */
  readonly dir: string;

  /** @param root storage root; {@link storageRoot} by default. */
  constructor(root: string = storageRoot()) {
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

  private get namesPath(): string {
    return join(this.dir, 'names.json');
  }

  private async readNames(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.namesPath, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new ContainerError('ERR_STATE_CORRUPT', `cannot read ${this.namesPath}`, { cause: err });
    }
    throw new ContainerError('ERR_STATE_CORRUPT', `${this.namesPath} is not a JSON object`);
  }

  /** Runs `fn` on the names index while holding its lock; writes it back when `fn` says so. */
  private async withNames<T>(fn: (names: Record<string, string>) => Promise<{ value: T; changed: boolean }>): Promise<T> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    return withLock(join(this.dir, 'names.lock'), async () => {
      const names = await this.readNames();
      const { value, changed } = await fn(names);
      if (changed) await writeJsonAtomic(this.namesPath, names);
      return value;
    });
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
   * Records a new container: creates its directory, claims its name (or a
   * random one when `state.name` is empty) and writes `state.json`. Returns
   * the state as written.
   *
   * @throws ContainerError `ERR_NAME_IN_USE`, `ERR_INVALID_NAME`, `ERR_ID_IN_USE`.
   */
  async create(state: ContainerState): Promise<ContainerState> {
    const dir = this.containerDir(state.id);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ContainerError('ERR_ID_IN_USE', `container id ${state.id} already exists`);
      throw err;
    }
    try {
      const name = await this.claimName(state.name, state.id);
      const saved = { ...state, name };
      await writeStateFile(this.statePath(state.id), saved);
      return saved;
    } catch (err) {
      await this.releaseName(state.id).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  private async claimName(wanted: string, id: string): Promise<string> {
    const explicit = wanted === '' ? undefined : validateName(wanted);
    return this.withNames(async (names) => {
      const free = async (n: string): Promise<boolean> => {
        const owner = names[n];
        return owner === undefined || owner === id || !(await this.exists(owner));
      };
      if (explicit !== undefined) {
        if (!(await free(explicit))) {
          const owner = names[explicit] as string;
          throw new ContainerError('ERR_NAME_IN_USE', `the container name "/${explicit}" is already in use by container ${owner}`);
        }
        names[explicit] = id;
        return { value: explicit, changed: true };
      }
      for (let i = 0; i < NAME_ATTEMPTS; i++) {
        const n = randomName(i >= NAME_ATTEMPTS / 2 ? 1 : 0);
        if (await free(n)) {
          names[n] = id;
          return { value: n, changed: true };
        }
      }
      throw new ContainerError('ERR_NAME_IN_USE', 'could not find a free random container name');
    });
  }

  private async releaseName(id: string): Promise<void> {
    await this.withNames(async (names) => {
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
    const state = isFullId(id) ? await readStateFile(this.statePath(id)) : undefined;
    if (state === undefined) throw notFound(id);
    return state;
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
    if (isFullId(ref)) {
      const state = await readStateFile(this.statePath(ref));
      if (state !== undefined) return state;
    }
    const byName = (await this.readNames())[ref.startsWith('/') ? ref.slice(1) : ref];
    if (byName !== undefined) {
      const state = isFullId(byName) ? await readStateFile(this.statePath(byName)) : undefined;
      if (state !== undefined) return state;
    }
    if (!/^[0-9a-f]+$/.test(ref)) throw notFound(ref);
    const matches = (await this.ids()).filter((id) => id.startsWith(ref));
    if (matches.length > 1) {
      throw new ContainerError('ERR_AMBIGUOUS_ID', `container id prefix ${ref} is ambiguous: it matches ${matches.length} containers`);
    }
    const state = matches[0] === undefined ? undefined : await readStateFile(this.statePath(matches[0]));
    if (state === undefined) throw notFound(ref);
    return state;
  }

  /** Every recorded container, oldest first; directories without a state file are skipped. */
  async list(): Promise<ContainerState[]> {
    const states = await Promise.all((await this.ids()).map((id) => readStateFile(this.statePath(id))));
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
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    const busy = mounts.split('\n').some((l) => {
      const mp = (l.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
      return mp === dir || mp.startsWith(`${dir}/`);
    });
    if (busy) throw new ContainerError('ERR_CONTAINER_BUSY', `container ${id} still has mounts under ${dir}`);
    await this.releaseName(id);
    await rm(join(dir, 'state.json'), { force: true });
    await rm(dir, { recursive: true, force: true });
    log('removed container %s', id);
  }
}
